// 未知问题: the bot's misses (unanswered, 猜你想问 offered, answers marked 没用) grouped by normalized text,
// most asked first. One click adds a question to an entry as a similar question (picked from the matcher's
// closest entries or a search), opens a new entry pre-filled with it, or ignores it; handled groups leave.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { openDialog, confirmDialog, toast } from '../dialog.js';
import { dateTime } from '../format.js';
import { KnowledgePage } from './knowledge.js';

const PAGE = 50;

export class UnknownQuestionsPage {
  constructor() {
    this.element = h('section', { class: 'page', id: 'page-unknown' });
    this.groups = [];
    this.total = 0;
  }

  load() {
    this.list = h('tbody', { id: 'uq-rows' });
    this.summary = h('p', { class: 'hint', id: 'uq-total', 'aria-live': 'polite' });
    this.more = h('button', { type: 'button', class: 'btn', id: 'uq-more', hidden: true, text: t('common.more'), onclick: () => this.fetch(false) });
    replace(this.element,
      h('h2', { text: t('admin.unknown') }),
      h('p', { class: 'hint', text: t('uq.hint') }),
      h('div', { class: 'toolbar' }, this.summary,
        h('button', { type: 'button', class: 'btn', id: 'uq-refresh', text: t('common.refresh'), onclick: () => this.fetch(true) })),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'uq-table' },
        h('thead', {}, h('tr', {}, ['uq.question', 'uq.count', 'uq.kinds', 'uq.lastSeen', 'common.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        this.list)),
      this.more);
    return this.fetch(true);
  }

  async fetch(reset) {
    if (reset) {
      this.groups = [];
      replace(this.list, h('tr', {}, h('td', { colspan: 5, class: 'hint', text: t('common.loading') })));
    }
    try {
      const result = await staffApi('GET', '/admin/unknown-questions', { query: { limit: PAGE, offset: this.groups.length } });
      this.groups.push(...(result.groups || []));
      this.total = result.total || 0;
      this.hasMore = result.next_offset !== undefined && result.next_offset !== null;
    } catch (e) {
      replace(this.list, h('tr', {}, h('td', { colspan: 5, class: 'form-error', text: e.display || String(e) })));
      return;
    }
    this.render();
  }

  render() {
    this.summary.textContent = t('uq.total', { n: this.total });
    this.more.hidden = !this.hasMore || this.groups.length >= this.total;
    if (!this.groups.length) {
      replace(this.list, h('tr', {}, h('td', { colspan: 5, class: 'empty', id: 'uq-empty', text: t('uq.empty') })));
      return;
    }
    replace(this.list, this.groups.map((g) => {
      const kinds = [['unanswered', g.unanswered], ['suggested', g.suggested], ['notUseful', g.not_useful]]
        .filter(([, n]) => n > 0).map(([kind, n]) => h('span', { class: 'tag uq-' + kind, text: t('uq.' + kind, { n }) }));
      return h('tr', { dataset: { key: g.key } },
        h('td', {}, h('strong', { text: g.question }),
          g.entry ? h('p', { class: 'hint', text: t('uq.botEntry', { question: g.entry.question }) }) : null),
        h('td', { class: 'num', text: String(g.count) }),
        h('td', {}, kinds),
        h('td', { text: dateTime(g.last_seen), title: t('uq.firstSeen', { time: dateTime(g.first_seen) }) }),
        h('td', { class: 'row-actions' },
          h('button', { type: 'button', class: 'link uq-similar', text: t('uq.addSimilar'), onclick: () => this.addSimilar(g) }),
          h('button', { type: 'button', class: 'link uq-create', text: t('uq.create'), onclick: () => this.create(g) }),
          h('button', { type: 'button', class: 'link danger uq-ignore', text: t('uq.ignore'), onclick: () => this.ignore(g) })));
    }));
  }

  /** Removes a handled group from the list without reloading. */
  handled(group) {
    this.groups = this.groups.filter((g) => g.key !== group.key);
    this.total = Math.max(0, this.total - 1);
    this.render();
  }

  /** Picks an entry (the matcher's closest ones first, or a search) and adds the question to it. */
  addSimilar(group) {
    const question = h('input', { id: 'uq-question', maxlength: 200, value: group.question.slice(0, 200) });
    const search = h('input', { type: 'search', id: 'uq-search', placeholder: t('kb.search'), 'aria-label': t('kb.search') });
    const choices = h('ul', { class: 'uq-choices', id: 'uq-choices', role: 'radiogroup', 'aria-label': t('uq.pickEntry') });
    let chosen = null;
    const show = (entries) => {
      if (!entries.length) {
        replace(choices, h('li', { class: 'empty', text: t('uq.noEntries') }));
        return;
      }
      replace(choices, entries.map((entry) => {
        const radio = h('input', {
          type: 'radio', name: 'uq-entry', id: 'uq-entry-' + entry.entry_id, value: entry.entry_id,
          checked: chosen === entry.entry_id, onchange: () => { chosen = entry.entry_id; },
        });
        return h('li', {}, radio, h('label', { for: radio.id },
          h('span', { text: entry.question }), entry.score !== undefined ? h('span', { class: 'tag', text: Math.round(entry.score * 100) + '%' }) : null));
      }));
    };
    const closest = async () => {
      replace(choices, h('li', { class: 'hint', text: t('common.loading') }));
      try {
        const result = await staffApi('POST', '/admin/knowledge/test', { body: { question: question.value.trim() || group.question, limit: 5 } });
        const entries = (result.matches || []).map((m) => ({ entry_id: m.entry_id, question: m.question, score: m.score }));
        if (group.entry && !entries.some((e) => e.entry_id === group.entry.entry_id)) entries.unshift(group.entry);
        if (!chosen && entries.length) chosen = entries[0].entry_id;
        show(entries);
      } catch (e) {
        replace(choices, h('li', { class: 'form-error', text: e.display || String(e) }));
      }
    };
    const find = async () => {
      const q = search.value.trim();
      if (!q) return closest();
      replace(choices, h('li', { class: 'hint', text: t('common.loading') }));
      try {
        const result = await staffApi('GET', '/admin/knowledge', { query: { q, limit: 20 } });
        show((result.items || []).map((e) => ({ entry_id: e.entry_id, question: e.question })));
      } catch (e) {
        replace(choices, h('li', { class: 'form-error', text: e.display || String(e) }));
      }
    };
    openDialog({
      title: t('uq.addSimilar'), id: 'uq-dialog', wide: true,
      body: [
        h('div', { class: 'field' }, h('label', { for: question.id, text: t('uq.similarQuestion') }), question),
        h('form', { class: 'inline-form', onsubmit: (e) => { e.preventDefault(); find(); } },
          search, h('button', { type: 'submit', class: 'btn', id: 'uq-search-run', text: t('common.search') })),
        h('p', { class: 'hint', text: t('uq.pickEntry') }),
        choices,
      ],
      actions: [{ label: t('common.cancel') }, {
        label: t('uq.addSimilar'), primary: true, id: 'uq-add',
        onClick: async () => {
          if (!chosen) throw new Error(t('uq.needEntry'));
          const result = await staffApi('POST', '/admin/unknown-questions/similar', {
            body: { key: group.key, entry_id: chosen, question: question.value.trim() || undefined },
          });
          toast(t('uq.added', { question: (result.entry && result.entry.question) || '' }));
          this.handled(group);
        },
      }],
    });
    closest();
  }

  /** Opens the knowledge editor with the question; saving the new entry handles the group. */
  create(group) {
    new KnowledgePage().edit(null, {
      prefill: { question: group.question.slice(0, 200) },
      onSaved: async (entry) => {
        await staffApi('POST', '/admin/unknown-questions/handled', { body: { key: group.key, action: 'created', entry_id: entry.entry_id } });
        this.handled(group);
      },
    });
  }

  async ignore(group) {
    if (!(await confirmDialog(t('uq.ignoreConfirm', { question: group.question })))) return;
    try {
      await staffApi('POST', '/admin/unknown-questions/handled', { body: { key: group.key, action: 'ignored' } });
      this.handled(group);
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }
}
