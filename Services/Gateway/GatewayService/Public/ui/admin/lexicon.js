// 词库 / 同义词: the matcher's admin words (segmentation) and synonym groups. Two tabs, each with search, add,
// delete and a text import whose report lists every bad line with its number (the good lines are applied).
import { h, replace, splitList } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { openDialog, confirmDialog, toast } from '../dialog.js';
import { dateTime } from '../format.js';

const TABS = {
  words: {
    path: '/admin/knowledge-words', id: 'word_id', columns: ['lex.word', 'lex.frequency', 'lex.added', 'common.actions'],
    cells: (item) => [h('td', { text: item.word }), h('td', { text: item.frequency ?? t('lex.defaultFrequency') }), h('td', { text: dateTime(item.created_at) })],
    label: (item) => item.word,
  },
  synonyms: {
    path: '/admin/knowledge-synonyms', id: 'synonym_id', columns: ['lex.canonical', 'lex.variants', 'lex.updated', 'common.actions'],
    cells: (item) => [h('td', {}, h('strong', { text: item.canonical })), h('td', { text: (item.variants || []).join(t('lex.separator')) }), h('td', { text: dateTime(item.updated_at) })],
    label: (item) => item.canonical,
  },
};

export class LexiconPage {
  constructor() {
    this.element = h('section', { class: 'page', id: 'page-lexicon' });
    this.tab = 'words';
    this.query = '';
    this.items = [];
    this.cursor = null;
  }

  load() {
    this.tabButtons = Object.keys(TABS).map((key) => h('button', {
      type: 'button', role: 'tab', id: 'lex-tab-' + key, 'aria-controls': 'lex-panel', text: t('lex.tab.' + key),
      onclick: () => this.select(key),
    }));
    this.q = h('input', { type: 'search', id: 'lex-search', 'aria-label': t('common.search') });
    this.head = h('thead');
    this.list = h('tbody', { id: 'lex-rows' });
    this.more = h('button', { type: 'button', class: 'btn', id: 'lex-more', hidden: true, text: t('common.more'), onclick: () => this.fetch(false) });
    this.report = h('div', { id: 'lex-report', 'aria-live': 'polite' });
    this.hint = h('p', { class: 'hint', id: 'lex-hint' });
    const importInput = h('input', {
      type: 'file', id: 'lex-import-file', accept: '.txt,text/plain', class: 'visually-hidden',
      onchange: () => this.importFile(importInput),
    });
    replace(this.element,
      h('h2', { text: t('admin.lexicon') }),
      h('p', { class: 'hint' }, t('lex.intro'), ' ', h('a', { href: '#/knowledge', text: t('lex.back') })),
      h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('admin.lexicon') }, this.tabButtons),
      h('div', { id: 'lex-panel', role: 'tabpanel' },
        this.hint,
        h('form', {
          class: 'toolbar',
          onsubmit: (e) => {
            e.preventDefault();
            this.query = this.q.value.trim();
            this.fetch(true);
          },
        }, this.q, h('button', { type: 'submit', class: 'btn', text: t('common.search') }),
          h('button', { type: 'button', class: 'btn primary', id: 'lex-new', text: t('lex.new'), onclick: () => this.add() }),
          h('label', { for: importInput.id, class: 'btn', text: t('lex.import') }), importInput),
        this.report,
        h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'lex-table' }, this.head, this.list)),
        this.more));
    return this.select(this.tab);
  }

  select(tab) {
    this.tab = tab;
    this.query = '';
    this.q.value = '';
    this.q.placeholder = t('lex.search.' + tab);
    for (const button of this.tabButtons) button.setAttribute('aria-selected', String(button.id === 'lex-tab-' + tab));
    this.hint.textContent = t('lex.hint.' + tab);
    replace(this.report);
    replace(this.head, h('tr', {}, TABS[tab].columns.map((k) => h('th', { scope: 'col', text: t(k) }))));
    return this.fetch(true);
  }

  async fetch(reset) {
    const spec = TABS[this.tab];
    if (reset) {
      this.items = [];
      this.cursor = null;
      replace(this.list, h('tr', {}, h('td', { colspan: 4, class: 'hint', text: t('common.loading') })));
    }
    try {
      const result = await staffApi('GET', spec.path, { query: { q: this.query || undefined, limit: 100, cursor: this.cursor || undefined } });
      this.items.push(...(result.items || []));
      this.cursor = result.next_cursor || null;
    } catch (e) {
      replace(this.list, h('tr', {}, h('td', { colspan: 4, class: 'form-error', text: e.display || String(e) })));
      return;
    }
    this.more.hidden = !this.cursor;
    if (!this.items.length) {
      replace(this.list, h('tr', {}, h('td', { colspan: 4, class: 'empty', text: t('lex.empty.' + this.tab) })));
      return;
    }
    replace(this.list, this.items.map((item) => h('tr', { dataset: { id: item[spec.id] } },
      ...spec.cells(item),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'link danger', text: t('common.delete'), onclick: () => this.remove(item) })))));
  }

  add() {
    const field = (label, input, hint) => h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input, hint ? h('p', { class: 'hint', text: hint }) : null);
    if (this.tab === 'words') {
      const word = h('input', { id: 'lex-word', maxlength: 4 });
      const frequency = h('input', { id: 'lex-frequency', type: 'number', min: 1, max: 100000000, placeholder: '1000' });
      openDialog({
        title: t('lex.new'), id: 'lex-dialog',
        body: [field(t('lex.word'), word, t('lex.wordHint')), field(t('lex.frequency'), frequency, t('lex.frequencyHint'))],
        actions: [{ label: t('common.cancel') }, {
          label: t('common.save'), primary: true, id: 'lex-save',
          onClick: async () => {
            const body = { word: word.value.trim() };
            if (frequency.value.trim()) body.frequency = Number(frequency.value);
            await staffApi('POST', TABS.words.path, { body });
            toast(t('admin.saved'));
            await this.fetch(true);
          },
        }],
      });
      return;
    }
    const canonical = h('input', { id: 'lex-canonical', maxlength: 20 });
    const variants = h('textarea', { id: 'lex-variants', rows: 3 });
    openDialog({
      title: t('lex.new'), id: 'lex-dialog',
      body: [field(t('lex.canonical'), canonical, t('lex.canonicalHint')), field(t('lex.variants'), variants, t('lex.variantsHint'))],
      actions: [{ label: t('common.cancel') }, {
        label: t('common.save'), primary: true, id: 'lex-save',
        onClick: async () => {
          const body = { canonical: canonical.value.trim(), variants: splitList(variants.value.replace(/\s+/g, '\n'), true) };
          await staffApi('POST', TABS.synonyms.path, { body });
          toast(t('admin.saved'));
          await this.fetch(true);
        },
      }],
    });
  }

  async remove(item) {
    const spec = TABS[this.tab];
    if (!(await confirmDialog(t('lex.deleteConfirm', { name: spec.label(item) })))) return;
    try {
      await staffApi('DELETE', spec.path + '/' + item[spec.id]);
      await this.fetch(true);
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }

  async importFile(input) {
    const file = input.files && input.files[0];
    input.value = '';
    if (!file) return;
    try {
      const result = await staffApi('POST', TABS[this.tab].path + '/import', { body: file });
      const errors = result.errors || [];
      replace(this.report, h('div', { class: 'card', id: 'lex-import-report' },
        h('p', { class: result.error_count ? 'warn' : 'ok', text: t('lex.imported', {
          n: result.imported ?? 0, added: result.added ?? 0, updated: result.updated ?? 0, errors: result.error_count ?? 0,
        }) }),
        errors.length ? h('ul', { class: 'import-errors' }, errors.map((e) => h('li', { text: t('lex.lineError', { line: e.line, message: e.message }) }))) : null,
        result.error_count > errors.length ? h('p', { class: 'hint', text: t('lex.moreErrors', { n: result.error_count - errors.length }) }) : null));
      await this.fetch(true);
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }
}
