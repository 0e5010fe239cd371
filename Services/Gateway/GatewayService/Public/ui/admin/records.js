// 会话记录: session records filtered by date, type (bot/human), channel, agent and summary category (会话小结);
// a transcript per record; 拉黑 of a record's visitor (admin.block_visitor); CSV exports (sessions, daily, per agent, per summary category) streamed from reporting.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { saveBlob, dispositionName } from '../api.js';
import { openDialog, toast } from '../dialog.js';
import { dateTime, duration, isoDate, browserTimezone } from '../format.js';
import { transcriptDialog } from '../transcript.js';

export class RecordsPage {
  constructor() {
    this.element = h('section', { class: 'page', id: 'page-records' });
    this.filters = { from: isoDate(-6), to: isoDate(0), type: '', channel: '', agent_id: '', summary_category_id: '' };
    this.agents = [];
    this.categories = [];
  }

  async load() {
    try {
      this.agents = (await staffApi('GET', '/admin/accounts')).items || [];
    } catch {
      this.agents = [];
    }
    try {
      this.categories = (await staffApi('GET', '/admin/summary-categories')).items || [];
    } catch {
      this.categories = [];
    }
    const f = this.filters;
    const from = h('input', { type: 'date', id: 'rec-from', value: f.from });
    const to = h('input', { type: 'date', id: 'rec-to', value: f.to });
    const type = h('select', { id: 'rec-type' }, ['', 'bot', 'human'].map((v) => h('option', { value: v, text: v ? t('type.' + v) : t('common.all'), selected: f.type === v })));
    const channel = h('input', { id: 'rec-channel', list: 'rec-channels', value: f.channel, placeholder: t('common.all'), class: 'narrow-wide' });
    const agent = h('select', { id: 'rec-agent' }, h('option', { value: '', text: t('common.all') }),
      this.agents.map((a) => h('option', { value: a.agent_id, text: a.display_name, selected: f.agent_id === a.agent_id })));
    const category = h('select', { id: 'rec-summary-category' }, h('option', { value: '', text: t('common.all') }),
      this.categories.flatMap((c) => [
        h('option', { value: c.category_id, text: c.name, selected: f.summary_category_id === c.category_id }),
        ...(c.children || []).map((k) => h('option', { value: k.category_id, text: c.name + ' / ' + k.name, selected: f.summary_category_id === k.category_id })),
      ]));
    const field = (label, input) => h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input);
    this.rows = h('tbody', { id: 'records-rows' });
    this.more = h('button', { type: 'button', class: 'btn', hidden: true, id: 'records-more', text: t('common.more'), onclick: () => this.fetch(false) });
    const read = () => Object.assign(this.filters, { from: from.value, to: to.value, type: type.value, channel: channel.value.trim(), agent_id: agent.value, summary_category_id: category.value });
    const exportButton = (kind) => h('button', {
      type: 'button', class: 'btn', id: 'export-' + kind, text: t('rec.export.' + kind),
      onclick: async (e) => {
        read();
        await this.download(kind, e.currentTarget);
      },
    });
    replace(this.element,
      h('h2', { text: t('admin.records') }),
      h('p', { class: 'hint', text: t('rec.hint') }),
      h('form', {
        class: 'filters', id: 'records-filters',
        onsubmit: (e) => {
          e.preventDefault();
          read();
          this.fetch(true);
        },
      }, field(t('rec.from'), from), field(t('rec.to'), to), field(t('rec.type'), type), field(t('rec.channel'), channel), field(t('rec.agent'), agent),
        field(t('rec.summaryCategory'), category),
        h('datalist', { id: 'rec-channels' }, ['web-pc', 'web-h5'].map((c) => h('option', { value: c }))),
        h('div', { class: 'field buttons' }, h('button', { type: 'submit', class: 'btn primary', id: 'records-search', text: t('common.search') }))),
      h('div', { class: 'toolbar' }, exportButton('sessions'), exportButton('daily'), exportButton('agents'), exportButton('categories')),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'records-table' },
        h('thead', {}, h('tr', {}, ['rec.started', 'rec.channel', 'rec.visitor', 'rec.type', 'rec.agents', 'rec.wait', 'rec.duration', 'rec.messages', 'rec.reason', 'rec.rating', 'rec.summary', 'common.actions']
          .map((k) => h('th', { scope: 'col', text: t(k) })))),
        this.rows)),
      this.more);
    await this.fetch(true);
  }

  query() {
    const f = this.filters;
    return { from: f.from, to: f.to, tz: browserTimezone(), type: f.type, channel: f.channel, agent_id: f.agent_id, summary_category_id: f.summary_category_id };
  }

  /**
   * Loads the first page (`reset`) or the next one. Only the latest request counts: a search started while
   * another is loading, or a second click on 搜索, supersedes it, so no page is appended twice.
   */
  async fetch(reset) {
    if (!reset && this.loading) return;
    const generation = (this.generation = (this.generation || 0) + 1);
    this.loading = true;
    if (reset) {
      this.items = [];
      this.cursor = null;
      replace(this.rows, h('tr', {}, h('td', { colspan: 12, class: 'hint', text: t('common.loading') })));
    }
    const cursor = this.cursor;
    let result;
    try {
      result = await staffApi('GET', '/admin/records', { query: { ...this.query(), limit: 50, cursor: cursor || undefined } });
    } catch (e) {
      if (generation !== this.generation) return;
      this.loading = false;
      replace(this.rows, h('tr', {}, h('td', { colspan: 12, class: 'form-error', role: 'alert', text: e.display || String(e) })));
      this.more.hidden = true;
      return;
    }
    if (generation !== this.generation) return;
    this.loading = false;
    const seen = new Set(this.items.map((r) => r.session_id));
    this.items.push(...(result.items || []).filter((r) => !seen.has(r.session_id)));
    this.cursor = result.next_cursor || null;
    this.more.hidden = !this.cursor;
    if (!this.items.length) {
      replace(this.rows, h('tr', {}, h('td', { colspan: 12, class: 'empty', id: 'records-empty', text: t('rec.empty') })));
      return;
    }
    replace(this.rows, this.items.map((r) => h('tr', { dataset: { session: r.session_id, type: r.type } },
      h('td', { text: dateTime(r.started_at) }),
      h('td', { text: r.channel }),
      h('td', { class: 'mono', text: String(r.visitor_id).slice(-10), title: r.visitor_id }),
      h('td', {}, h('span', { class: 'tag ' + r.type, text: t('type.' + r.type) })),
      h('td', { text: (r.agent_names || []).join(t('common.listSep')) || '-' }),
      h('td', { text: r.queue_wait_seconds !== undefined ? duration(r.queue_wait_seconds) : '-' }),
      h('td', { text: duration(r.duration_seconds) }),
      h('td', { text: String((r.visitor_messages || 0) + (r.bot_messages || 0) + (r.agent_messages || 0)) }),
      h('td', { text: r.end_reason ? t('reason.' + r.end_reason) : t('rec.open') }),
      h('td', { text: r.rating ? '★'.repeat(r.rating) : '-', title: r.rating_comment || '' }),
      h('td', { class: 'rec-summary', text: r.summary ? r.summary.categories.join(t('common.listSep')) : '-', title: r.summary ? r.summary.note : '' }),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'link open-transcript', text: t('rec.view'), onclick: () => this.open(r) }),
        h('button', { type: 'button', class: 'link danger rec-block', text: t('wb.block'), onclick: () => this.block(r) })))));
  }

  /** 拉黑 from the records: blocks the record's visitor (also after the session ended); their open session ends. */
  block(record) {
    const reason = h('textarea', { id: 'rec-block-reason', rows: 2, maxlength: 200, placeholder: t('wb.blockReasonHint') });
    const duration = h('select', { id: 'rec-block-duration' },
      [[60, 'wb.block1h'], [1440, 'wb.block1d'], [10080, 'wb.block7d'], [43200, 'wb.block30d'], ['', 'wb.blockForever']]
        .map(([value, key]) => h('option', { value: String(value), text: t(key), selected: value === 1440 })));
    openDialog({
      title: t('rec.blockTitle', { visitor: record.visitor_id }), id: 'rec-block-dialog',
      body: [
        h('p', { class: 'hint', text: t('rec.blockHint') }),
        h('label', { for: reason.id, text: t('wb.blockReason') }), reason,
        h('label', { for: duration.id, text: t('wb.blockDuration') }), duration,
      ],
      actions: [
        { label: t('common.cancel') },
        {
          label: t('wb.blockDo'), primary: true, id: 'rec-block-confirm',
          onClick: async () => {
            const text = reason.value.trim();
            if (!text) throw new Error(t('wb.blockReasonEmpty'));
            const minutes = duration.value ? Number(duration.value) : null;
            await staffApi('POST', '/admin/sessions/' + record.session_id + '/block', { body: { reason: text, duration_minutes: minutes } });
            toast(t('rec.blocked'));
          },
        },
      ],
    });
    reason.focus();
  }

  open(record) {
    const agentName = (id) => {
      const index = (record.agent_ids || []).indexOf(id);
      if (index >= 0 && record.agent_names && record.agent_names[index]) return record.agent_names[index];
      const account = this.agents.find((a) => a.agent_id === id);
      return account ? account.display_name : '';
    };
    const facts = h('dl', { class: 'facts grid', id: 'record-facts' },
      [['rec.channel', record.channel], ['rec.visitor', record.visitor_id], ['rec.type', t('type.' + record.type)],
        ['rec.agents', (record.agent_names || []).join(t('common.listSep')) || '-'], ['rec.started', dateTime(record.started_at)], ['rec.ended', dateTime(record.ended_at) || '-'],
        ['rec.wait', record.queue_wait_seconds !== undefined ? duration(record.queue_wait_seconds) : '-'],
        ['rec.firstResponse', record.first_response_seconds !== undefined ? duration(record.first_response_seconds) : '-'],
        ['rec.duration', duration(record.duration_seconds)], ['rec.reason', record.end_reason ? t('reason.' + record.end_reason) : '-'],
        ['rec.rating', record.rating ? record.rating + (record.rating_comment ? ' · ' + record.rating_comment : '') : '-'],
        ['rec.botFeedback', record.bot_feedback_useful || record.bot_feedback_not_useful
          ? t('rec.botFeedbackCounts', { useful: record.bot_feedback_useful || 0, notUseful: record.bot_feedback_not_useful || 0 }) : '-'],
        ['rec.summary', record.summary ? record.summary.categories.join(t('common.listSep')) + (record.summary.note ? ' · ' + record.summary.note : '') : '-']]
        .map(([k, v]) => h('div', {}, h('dt', { text: t(k) }), h('dd', { text: v }))));
    transcriptDialog(record.session_id, { title: t('wb.transcript'), names: agentName, extra: [facts] });
  }

  async download(kind, button) {
    button.disabled = true;
    try {
      const q = this.query();
      // The sessions export honours every filter shown, 会话类型 included; the statistics exports are per
      // day (and channel or agent), where a session type does not apply.
      const query = { ...q, type: kind === 'sessions' && q.type ? q.type : undefined, summary_category_id: undefined, bom: true };
      if (kind === 'agents') query.channel = undefined;
      if (kind === 'daily') query.agent_id = undefined;
      const response = await staffApi('GET', '/admin/exports/' + kind, { query, as: 'response' });
      const blob = await response.blob();
      saveBlob(blob, dispositionName(response, `kefu-${kind}-${q.from}-${q.to}.csv`));
      toast(t('rec.exported'));
    } catch (e) {
      toast(e.display || String(e), 'error');
    } finally {
      button.disabled = false;
    }
  }
}
