// 知识库: entries (standard question, similar questions, answer, category, enabled), search, edit,
// import/export, and a box to test which entries a question matches.
import { h, replace, splitList } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { saveBlob, dispositionName } from '../api.js';
import { openDialog, confirmDialog, toast } from '../dialog.js';
import { dateTime } from '../format.js';

export class KnowledgePage {
  constructor() {
    this.element = h('section', { class: 'page', id: 'page-knowledge' });
    this.query = '';
    this.items = [];
    this.cursor = null;
  }

  load() {
    this.q = h('input', { type: 'search', id: 'kb-search', placeholder: t('kb.search'), 'aria-label': t('kb.search'), value: this.query });
    this.list = h('tbody', { id: 'kb-rows' });
    this.more = h('button', { type: 'button', class: 'btn', hidden: true, text: t('common.more'), onclick: () => this.fetch(false) });
    const testInput = h('input', { id: 'kb-test-input', placeholder: t('kb.testPlaceholder'), 'aria-label': t('kb.test') });
    const testResult = h('div', { id: 'kb-test-result', 'aria-live': 'polite' });
    const importInput = h('input', {
      type: 'file', id: 'kb-import-file', accept: '.csv,.json,text/csv,application/json', class: 'visually-hidden',
      onchange: () => this.importFile(importInput),
    });
    replace(this.element,
      h('h2', { text: t('admin.knowledge') }),
      h('section', { class: 'card', 'aria-labelledby': 'kb-test-title' },
        h('h3', { id: 'kb-test-title', text: t('kb.test') }),
        h('form', {
          class: 'inline-form',
          onsubmit: async (e) => {
            e.preventDefault();
            await this.test(testInput.value.trim(), testResult);
          },
        }, testInput, h('button', { type: 'submit', class: 'btn', id: 'kb-test-run', text: t('kb.testRun') })),
        testResult),
      h('form', {
        class: 'toolbar',
        onsubmit: (e) => {
          e.preventDefault();
          this.query = this.q.value.trim();
          this.fetch(true);
        },
      }, this.q, h('button', { type: 'submit', class: 'btn', text: t('common.search') }),
        h('button', { type: 'button', class: 'btn primary', id: 'kb-new', text: t('kb.new'), onclick: () => this.edit(null) }),
        h('label', { for: importInput.id, class: 'btn', text: t('kb.import') }), importInput,
        h('button', { type: 'button', class: 'btn', id: 'kb-export', text: t('kb.export'), onclick: () => this.exportFile() }),
        h('a', { class: 'btn', id: 'kb-lexicon', href: '#/lexicon', text: t('kb.lexicon') })),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'kb-table' },
        h('thead', {}, h('tr', {}, ['kb.question', 'kb.category', 'kb.enabled', 'kb.updated', 'common.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        this.list)),
      this.more);
    return this.fetch(true);
  }

  async fetch(reset) {
    if (reset) {
      this.items = [];
      this.cursor = null;
      replace(this.list, h('tr', {}, h('td', { colspan: 5, class: 'hint', text: t('common.loading') })));
    }
    try {
      const result = await staffApi('GET', '/admin/knowledge', { query: { q: this.query, limit: 50, cursor: this.cursor || undefined } });
      this.items.push(...(result.items || []));
      this.cursor = result.next_cursor || null;
    } catch (e) {
      replace(this.list, h('tr', {}, h('td', { colspan: 5, class: 'form-error', text: e.display || String(e) })));
      return;
    }
    this.more.hidden = !this.cursor;
    if (!this.items.length) {
      replace(this.list, h('tr', {}, h('td', { colspan: 5, class: 'empty', text: t('kb.empty') })));
      return;
    }
    replace(this.list, this.items.map((e) => h('tr', { dataset: { entry: e.entry_id } },
      h('td', {}, h('strong', { text: e.question }), (e.similar || []).length ? h('p', { class: 'hint', text: t('kb.similarCount', { n: e.similar.length }) }) : null),
      h('td', { text: e.category || '-' }),
      h('td', { text: e.enabled === false ? t('common.no') : t('common.yes') }),
      h('td', { text: dateTime(e.updated_at) }),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'link', text: t('common.edit'), onclick: () => this.edit(e) }),
        h('button', { type: 'button', class: 'link danger', text: t('common.delete'), onclick: () => this.remove(e) })))));
  }

  async test(question, target) {
    if (!question) return;
    replace(target, h('p', { class: 'hint', text: t('common.loading') }));
    try {
      const result = await staffApi('POST', '/admin/knowledge/test', { body: { question } });
      const matches = result.matches || [];
      replace(target,
        h('p', { class: result.answered ? 'ok' : 'warn', id: 'kb-test-answered', text: result.answered ? t('kb.answered') : t('kb.notAnswered') }),
        matches.length ? h('ol', { class: 'matches' }, matches.map((m) => h('li', {},
          h('span', { text: m.question }), ' ', h('span', { class: 'tag', text: Math.round((m.score || 0) * 100) + '%' })))) : null);
    } catch (e) {
      replace(target, h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }));
    }
  }

  /**
   * The entry editor: `entry` to edit, or null for a new one (`prefill.question` fills it in). After saving,
   * `onSaved(saved)` runs with the saved entry (default: the list reloads).
   */
  edit(entry, { prefill = {}, onSaved } = {}) {
    const question = h('input', { id: 'kb-question', maxlength: 500, value: entry ? entry.question : prefill.question || '' });
    const similar = h('textarea', { id: 'kb-similar', rows: 3, value: entry ? (entry.similar || []).join('\n') : '' });
    const answer = h('textarea', { id: 'kb-answer', rows: 5, maxlength: 5000, value: entry ? entry.answer || '' : '' });
    const category = h('input', { id: 'kb-category', maxlength: 64, value: entry ? entry.category || '' : '' });
    const enabled = h('input', { type: 'checkbox', id: 'kb-enabled', checked: entry ? entry.enabled !== false : true });
    const field = (label, input, hint) => h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input, hint ? h('p', { class: 'hint', text: hint }) : null);
    openDialog({
      title: entry ? t('kb.edit') : t('kb.new'), id: 'kb-dialog', wide: true,
      body: [field(t('kb.question'), question), field(t('kb.similar'), similar, t('set.linesHint')), field(t('kb.answer'), answer),
        field(t('kb.category'), category), h('div', { class: 'check' }, enabled, h('label', { for: enabled.id, text: t('kb.enabled') }))],
      actions: [{ label: t('common.cancel') }, {
        label: t('common.save'), primary: true, id: 'kb-save',
        onClick: async () => {
          if (!question.value.trim() || !answer.value.trim()) throw new Error(t('kb.needBoth'));
          const body = {
            question: question.value.trim(), similar: splitList(similar.value, false), answer: answer.value.trim(),
            category: category.value.trim() || undefined, enabled: enabled.checked,
          };
          const saved = entry ? await staffApi('PUT', '/admin/knowledge/' + entry.entry_id, { body })
            : await staffApi('POST', '/admin/knowledge', { body });
          toast(t('admin.saved'));
          if (onSaved) await onSaved(saved);
          else await this.fetch(true);
        },
      }],
    });
  }

  async remove(entry) {
    if (!(await confirmDialog(t('kb.deleteConfirm', { question: entry.question })))) return;
    try {
      await staffApi('DELETE', '/admin/knowledge/' + entry.entry_id);
      await this.fetch(true);
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }

  async importFile(input) {
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    const format = file.name.toLowerCase().endsWith('.json') ? 'json' : 'csv';
    try {
      const result = await staffApi('POST', '/admin/knowledge/import', { body: file, query: { format } });
      const errors = result.errors || [];
      toast(t('kb.imported', { n: result.imported ?? 0, errors: errors.length }), errors.length ? 'error' : 'info');
      await this.fetch(true);
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }

  async exportFile() {
    try {
      const response = await staffApi('GET', '/admin/knowledge/export', { query: { format: 'csv' }, as: 'response' });
      saveBlob(await response.blob(), dispositionName(response, 'knowledge.csv'));
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }
}
