// 内部备注 and 会话小结 in the workbench: a staff-only note into a session, the session summary form (the
// admins' two-level categories and a short note), and the list of summaries the agent still owes.
import { h, randomId } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { openDialog, toast } from '../dialog.js';

/** Opens the note dialog for `session`; the note is shown to staff only. */
export function noteDialog(session) {
  const text = h('textarea', { id: 'note-text', rows: 4, maxlength: 2000, placeholder: t('note.placeholder'), 'aria-label': t('note.label') });
  const clientNoteID = randomId('n');
  openDialog({
    title: t('note.label'), id: 'note-dialog',
    body: [h('p', { class: 'hint', text: t('note.hint') }), text],
    actions: [
      { label: t('common.cancel') },
      {
        label: t('note.save'), primary: true, id: 'note-save',
        onClick: async () => {
          const value = text.value.trim();
          if (!value) throw new Error(t('note.empty'));
          await staffApi('POST', '/agent/sessions/' + session.id + '/notes', { body: { client_note_id: clientNoteID, text: value } });
          toast(t('note.saved'));
        },
      },
    ],
  });
}

/**
 * Opens the summary form for `session`. `required`: the agent gets no new session until it is written.
 * `onSaved` runs after a successful save.
 */
export async function summaryDialog(session, { required = false, onSaved } = {}) {
  let tree = [];
  try {
    tree = (await staffApi('GET', '/agent/summary-categories')).items || [];
  } catch (e) {
    toast(e.display || String(e), 'error');
    return;
  }
  const box = (c, label) => h('label', { class: 'check inline' },
    h('input', { type: 'checkbox', class: 'summary-pick', value: c.category_id, dataset: { name: label } }), ' ', c.name);
  const list = tree.length
    ? h('ul', { class: 'summary-tree', id: 'summary-categories' }, tree.map((c) => h('li', {}, box(c, c.name),
      (c.children || []).length ? h('ul', {}, c.children.map((k) => h('li', {}, box(k, c.name + '/' + k.name)))) : null)))
    : h('p', { class: 'empty', text: t('sum.noCategories') });
  const note = h('textarea', { id: 'summary-note', rows: 3, maxlength: 500, placeholder: t('sum.notePlaceholder'), 'aria-label': t('sum.note') });
  openDialog({
    title: t('sum.title'), id: 'summary-dialog',
    body: [
      required ? h('p', { class: 'hint summary-required', id: 'summary-required', text: t('sum.required') }) : null,
      h('p', { class: 'hint', text: t('sum.hint') }), list,
      h('label', { for: note.id, text: t('sum.note') }), note,
    ],
    actions: [
      { label: required ? t('sum.later') : t('common.cancel') },
      {
        label: t('common.save'), primary: true, id: 'summary-save',
        onClick: async () => {
          const ids = Array.from(list.querySelectorAll ? list.querySelectorAll('.summary-pick:checked') : []).map((input) => input.value);
          if (!ids.length) throw new Error(t('sum.pickOne'));
          await staffApi('POST', '/agent/sessions/' + session.id + '/summary', { body: { category_ids: ids, note: note.value.trim() } });
          toast(t('sum.saved'));
          if (onSaved) await onSaved();
        },
      },
    ],
  });
}

/** The agent's ended sessions whose required summary is still due (empty when none or unavailable). */
export async function pendingSummaries() {
  try {
    return (await staffApi('GET', '/agent/summaries/pending')).items || [];
  } catch {
    return [];
  }
}
