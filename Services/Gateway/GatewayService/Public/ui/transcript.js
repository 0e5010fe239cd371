// Rendering of session history items (`{ seq, type, time, data }`) for agents and admins.
import { h } from './dom.js';
import { t } from './i18n.js';
import { imageView } from './media.js';
import { fileCard } from './files.js';
import { shortTime, dateTime } from './format.js';
import { staffApi } from './staff.js';
import { openDialog } from './dialog.js';

/** Loads an image a staff member may see, as a Blob. */
export const staffImage = (id) => staffApi('GET', '/agent/images/' + id, { as: 'blob' });

/** Loads a file a staff member may see, as a Blob. */
export const staffFile = (id) => staffApi('GET', '/agent/files/' + id, { as: 'blob' });

/** All history items of a session (pages of 200, `kinds=all`), for a staff member. */
export async function staffHistory(sessionId, afterSeq = 0) {
  const items = [];
  let after = afterSeq;
  for (let page = 0; page < 50; page += 1) {
    const result = await staffApi('GET', '/agent/sessions/' + sessionId + '/history', { query: { after_seq: after, limit: 200, kinds: 'all' } });
    const batch = (result && result.items) || [];
    items.push(...batch);
    if (!result || result.next_after_seq === undefined || result.next_after_seq === null || !batch.length) break;
    after = result.next_after_seq;
  }
  return items;
}

/**
 * One transcript row. `names(id)` gives an agent's name; `me` is the viewing agent's id (their messages
 * are shown as "me"). Returns null for events that show nothing.
 */
export function transcriptRow(item, { names = () => '', me = null } = {}) {
  const d = item.data || {};
  const time = h('time', { datetime: item.time || '', text: shortTime(item.time), title: dateTime(item.time) });
  const line = (text, kind = 'system') => h('li', { class: 'line ' + kind, dataset: { seq: String(item.seq) } }, h('span', { text }), ' ', time);
  switch (item.type) {
    case 'message.accepted': {
      if (d.sender === 'system') return line(d.text || '');
      const who = d.sender === 'visitor' ? t('wb.visitor') : d.sender === 'bot' ? t('wb.bot')
        : d.agent_id && d.agent_id === me ? t('wb.me') : names(d.agent_id) || t('wb.agent');
      const body = d.image ? imageView(d.image, staffImage) : d.file ? fileCard(d.file, staffFile) : h('p', { class: 'msg-text', text: d.text || '' });
      return h('li', { class: 'msg ' + d.sender + (d.sender === 'agent' && d.agent_id === me ? ' mine' : ''), dataset: { seq: String(item.seq), sender: d.sender } },
        h('div', { class: 'msg-meta' }, h('span', { class: 'msg-who', text: who }), time),
        h('div', { class: 'bubble' }, body));
    }
    case 'note.added':
      // 内部备注: staff only, never shown to the visitor; drawn apart from the conversation.
      return h('li', { class: 'note', dataset: { seq: String(item.seq), kind: 'note' } },
        h('div', { class: 'msg-meta' }, h('span', { class: 'note-label', text: t('note.label') }),
          h('span', { class: 'msg-who', text: d.agent_id && d.agent_id === me ? t('wb.me') : names(d.agent_id) || t('wb.agent') }), time),
        h('div', { class: 'bubble' }, h('p', { class: 'msg-text', text: d.text || '' })));
    case 'session.created':
      return line(t('wb.ev.created'));
    case 'session.queued':
      return line(t('wb.ev.queued', { reason: t('wb.queueReason.' + d.reason) }));
    case 'session.assigned':
      return line(t('wb.ev.assigned', { name: d.agent_name || names(d.agent_id) }));
    case 'session.transferred':
      return line(t('wb.ev.transferred', { from: names(d.from_agent_id) || t('wb.agent'), to: d.to_agent_name || names(d.to_agent_id) })
        + (d.note ? ' — ' + d.note : ''));
    case 'session.ended':
      return line(t('wb.ev.ended', { reason: t('reason.' + d.reason) }));
    case 'feedback.recorded': {
      const row = line(t('wb.ev.feedback', { value: t(d.useful ? 'wb.feedback.useful' : 'wb.feedback.notUseful') }),
        'system feedback ' + (d.useful ? 'useful' : 'not-useful'));
      row.dataset.answerSeq = String(d.answer_seq);
      row.dataset.useful = String(!!d.useful);
      return row;
    }
    case 'rating.recorded':
      return line(t('wb.ev.rated', { n: d.stars }) + (d.comment ? ' — ' + d.comment : ''), 'system rating');
    default:
      return null;
  }
}

/** Marks each bot answer that got visitor feedback (有用 / 没用) with a badge, from the feedback rows. */
export function markFeedback(rows) {
  const bySeq = new Map(rows.filter((row) => row.dataset && row.dataset.sender === 'bot').map((row) => [row.dataset.seq, row]));
  for (const row of rows) {
    if (!row.dataset || row.dataset.answerSeq === undefined) continue;
    const answer = bySeq.get(row.dataset.answerSeq);
    if (!answer || answer.querySelector('.feedback-badge')) continue;
    const useful = row.dataset.useful === 'true';
    answer.querySelector('.msg-meta').append(h('span', {
      class: 'feedback-badge ' + (useful ? 'useful' : 'not-useful'), text: t(useful ? 'wb.feedback.useful' : 'wb.feedback.notUseful'),
    }));
  }
  return rows;
}

/** Opens a dialog with a whole transcript. */
export async function transcriptDialog(sessionId, { title, names, me, extra = [] } = {}) {
  const list = h('ol', { class: 'messages transcript', id: 'transcript', 'aria-label': t('wb.transcript') },
    h('li', { class: 'line system' }, h('span', { text: t('common.loading') })));
  const dialog = openDialog({ title: title || t('wb.transcript'), id: 'transcript-dialog', wide: true, body: [...extra, list], actions: [{ label: t('common.close') }] });
  try {
    const items = await staffHistory(sessionId);
    list.replaceChildren(...markFeedback(items.map((item) => transcriptRow(item, { names, me })).filter(Boolean)));
    if (!items.length) list.append(h('li', { class: 'line system' }, h('span', { text: t('common.empty') })));
  } catch (e) {
    list.replaceChildren(h('li', { class: 'line system error' }, h('span', { text: e.display || String(e) })));
  }
  return dialog;
}
