// Settings pages over routing's one settings document: 人工客服设置 (switch, channels, transfer conditions,
// service hours with overrides, queue), 满意度评价, 会话设置 (end phrases and buttons, idle timeout, 敏感词),
// 文件设置 (size limit and allowed file types).
import { h, replace, splitList } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { toast } from '../dialog.js';
import { dateTime } from '../format.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CHANNEL = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const DEFAULT_CHANNEL = { human_enabled: true, transfer_keywords: [], bot_unanswered_limit: 2, transfer_button: true, end_button: true, transfer_keywords_match: 'whole_message', priority: 0 };
/** The reasons with their own prompt in `no_service_prompts` (out of hours is `out_of_service_prompt`). */
const NO_SERVICE_REASONS = ['service_off', 'channel_off', 'nobody_present', 'queue_full', 'queue_timeout'];
/** The file types of `files.allowed_types`, in the order shown. */
const FILE_TYPES = ['pdf', 'docx', 'xlsx', 'pptx', 'doc', 'xls', 'ppt', 'txt', 'zip', 'gz', '7z', 'rar'];
const MIB = 1024 * 1024;

/** A select of the keyword match modes. */
function matchSelect(attributes, value) {
  return h('select', attributes,
    ['whole_message', 'contains'].map((mode) => h('option', { value: mode, text: t('set.match.' + mode), selected: (value || 'whole_message') === mode })));
}

/** Fills what an older or partial document leaves out, so every form field has a value. */
function normalize(doc) {
  const d = structuredClone(doc || {});
  d.human_service_enabled ??= true;
  d.channels ??= { 'web-pc': { ...DEFAULT_CHANNEL }, 'web-h5': { ...DEFAULT_CHANNEL } };
  for (const name of Object.keys(d.channels)) d.channels[name] = { ...DEFAULT_CHANNEL, ...d.channels[name] };
  d.service_hours ??= { timezone: 'Asia/Shanghai', weekly: {}, overrides: [] };
  d.service_hours.weekly ??= {};
  for (const day of DAYS) d.service_hours.weekly[day] ??= [];
  d.service_hours.overrides ??= [];
  for (const o of d.service_hours.overrides) o.windows ??= [];
  d.queue ??= {};
  d.queue.exit_keywords ??= [];
  d.session ??= {};
  d.session.end_phrases ??= [];
  d.sensitive_words ??= [];
  d.files ??= {};
  d.files.max_bytes ??= 10 * MIB;
  d.files.allowed_types ??= [...FILE_TYPES];
  return d;
}

export class SettingsPage {
  /** `section`: 'human', 'rating', 'session' or 'files'. */
  constructor(section) {
    this.section = section;
    this.element = h('section', { class: 'page', id: 'page-' + section });
  }

  async load() {
    replace(this.element, h('h2', { text: t('admin.' + this.section) }), h('p', { class: 'hint', text: t('common.loading') }));
    try {
      const result = await staffApi('GET', '/admin/settings');
      this.version = result.version;
      this.meta = result;
      this.doc = normalize(result.settings);
    } catch (e) {
      replace(this.element, h('h2', { text: t('admin.' + this.section) }),
        h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }),
        h('button', { type: 'button', class: 'btn', text: t('common.retry'), onclick: () => this.load() }));
      return;
    }
    this.render();
  }

  render() {
    const body = this.section === 'human' ? this.human() : this.section === 'rating' ? this.rating()
      : this.section === 'files' ? this.files() : this.sessionSettings();
    this.error = h('p', { class: 'form-error', role: 'alert', id: 'settings-error' });
    const saved = this.meta && this.meta.updated_at ? t('admin.savedAt', { time: dateTime(this.meta.updated_at), version: this.version }) : '';
    replace(this.element,
      h('h2', { text: t('admin.' + this.section) }),
      h('form', {
        class: 'settings-form', id: 'settings-form', novalidate: true,
        onsubmit: (e) => { e.preventDefault(); this.save(); },
      }, body, this.error,
        h('div', { class: 'form-actions' },
          h('button', { type: 'submit', class: 'btn primary', id: 'settings-save', text: t('common.save') }),
          h('span', { class: 'hint', id: 'settings-version', text: saved }))));
  }

  async save() {
    this.error.textContent = '';
    let doc;
    try {
      doc = this.collect ? this.collect() : this.doc;
    } catch (e) {
      this.error.textContent = e.message;
      return;
    }
    const button = this.element.querySelector('#settings-save');
    button.disabled = true;
    try {
      await staffApi('PUT', '/admin/settings', { body: { settings: doc, expected_version: this.version } });
      toast(t('admin.saved'));
      await this.load();
    } catch (e) {
      this.error.textContent = e.code === 'version_conflict' ? t('admin.conflict') : e.display || String(e);
    } finally {
      button.disabled = false;
    }
  }

  // ---------- 人工客服设置 ----------

  human() {
    const d = this.doc;
    const enabled = checkbox('set-human-enabled', t('set.humanEnabled'), d.human_service_enabled);
    const channelRows = h('tbody', { id: 'channel-rows' });
    const rowOf = (name, c) => {
      const row = h('tr', { dataset: { channel: name } },
        h('th', { scope: 'row', text: name }),
        h('td', {}, h('input', { type: 'checkbox', class: 'ch-human', checked: c.human_enabled, 'aria-label': t('set.chHuman') + ' ' + name })),
        h('td', {}, h('input', { type: 'checkbox', class: 'ch-button', checked: c.transfer_button, 'aria-label': t('set.chButton') + ' ' + name })),
        h('td', {}, h('input', { class: 'ch-keywords', value: (c.transfer_keywords || []).join(', '), 'aria-label': t('set.chKeywords') + ' ' + name }),
          matchSelect({ class: 'ch-match', 'aria-label': t('set.matchMode') + ' ' + name }, c.transfer_keywords_match)),
        h('td', {}, h('input', { type: 'number', min: 1, max: 20, class: 'ch-limit narrow', value: c.bot_unanswered_limit ?? '', placeholder: t('set.off'), 'aria-label': t('set.chLimit') + ' ' + name })),
        h('td', {}, h('input', { type: 'number', min: 0, max: 9, class: 'ch-priority narrow', value: c.priority ?? 0, title: t('set.chPriorityHint'), 'aria-label': t('set.chPriority') + ' ' + name })),
        h('td', {}, h('button', { type: 'button', class: 'link danger', text: t('common.delete'), onclick: () => row.remove() })));
      row.dataset.endButton = String(c.end_button);
      return row;
    };
    for (const [name, c] of Object.entries(d.channels)) channelRows.append(rowOf(name, c));
    const newChannel = h('input', { id: 'new-channel', placeholder: 'wechat', 'aria-label': t('set.newChannel') });
    const hours = new HoursEditor(d.service_hours);
    this.hours = hours;
    const prompt = h('textarea', { id: 'set-queue-prompt', rows: 3, value: d.queue.prompt || '' });
    const exitKeywords = h('input', { id: 'set-exit-keywords', value: d.queue.exit_keywords.join(', ') });
    const maxLength = h('input', { id: 'set-queue-max', type: 'number', min: 1, max: 10000, value: d.queue.max_length ?? 200, class: 'narrow' });
    const timeout = h('input', { id: 'set-queue-timeout', type: 'number', min: 30, max: 86400, value: d.queue.timeout_seconds ?? 1800, class: 'narrow' });
    const outOfService = h('textarea', { id: 'set-out-of-service', rows: 2, value: d.out_of_service_prompt || '' });
    const exitMatch = matchSelect({ id: 'set-exit-match' }, d.queue.exit_keywords_match);
    const waitWithoutAgents = checkbox('set-wait-without-agents', t('set.waitWithoutAgents'), !!d.queue.wait_without_agents);
    const noService = Object.fromEntries(NO_SERVICE_REASONS.map((reason) =>
      [reason, h('textarea', { id: 'set-no-service-' + reason, rows: 2, value: (d.no_service_prompts || {})[reason] || '' })]));

    this.collect = () => {
      const doc = structuredClone(this.doc);
      doc.human_service_enabled = enabled.querySelector('input').checked;
      const channels = {};
      for (const row of channelRows.querySelectorAll('tr')) {
        const limit = row.querySelector('.ch-limit').value.trim();
        channels[row.dataset.channel] = {
          human_enabled: row.querySelector('.ch-human').checked,
          transfer_button: row.querySelector('.ch-button').checked,
          end_button: row.dataset.endButton !== 'false',
          transfer_keywords: splitList(row.querySelector('.ch-keywords').value),
          bot_unanswered_limit: limit === '' ? null : int(limit, t('set.chLimit')),
          transfer_keywords_match: row.querySelector('.ch-match').value,
          priority: int(row.querySelector('.ch-priority').value || '0', t('set.chPriority')),
        };
      }
      doc.channels = channels;
      doc.service_hours = hours.collect();
      doc.queue.prompt = prompt.value.trim();
      doc.queue.exit_keywords = splitList(exitKeywords.value);
      doc.queue.max_length = int(maxLength.value, t('set.queueMax'));
      doc.queue.timeout_seconds = int(timeout.value, t('set.queueTimeout'));
      doc.queue.exit_keywords_match = exitMatch.value;
      doc.queue.wait_without_agents = waitWithoutAgents.querySelector('input').checked;
      doc.out_of_service_prompt = outOfService.value.trim();
      doc.no_service_prompts = {};
      for (const reason of NO_SERVICE_REASONS) {
        const text = noService[reason].value.trim();
        if (text) doc.no_service_prompts[reason] = text;
      }
      return doc;
    };

    return [
      h('fieldset', {}, h('legend', { text: t('set.human') }), enabled, h('p', { class: 'hint', text: t('set.humanHint') })),
      h('fieldset', {}, h('legend', { text: t('set.channels') }),
        h('p', { class: 'hint', text: t('set.channelsHint') }),
        h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'channel-table' },
          h('thead', {}, h('tr', {}, ['set.channel', 'set.chHuman', 'set.chButton', 'set.chKeywords', 'set.chLimit', 'set.chPriority', 'common.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
          channelRows)),
        h('div', { class: 'inline-form' }, newChannel, h('button', {
          type: 'button', class: 'btn', id: 'add-channel', text: t('set.addChannel'),
          onclick: () => {
            const name = newChannel.value.trim();
            if (!CHANNEL.test(name)) { toast(t('set.badChannel'), 'error'); return; }
            if (channelRows.querySelector(`tr[data-channel="${CSS.escape(name)}"]`)) return;
            const first = Object.values(this.doc.channels)[0];
            channelRows.append(rowOf(name, { ...DEFAULT_CHANNEL, transfer_keywords: first ? [...first.transfer_keywords] : [] }));
            newChannel.value = '';
          },
        }))),
      hours.element,
      h('fieldset', {}, h('legend', { text: t('set.queue') }),
        field(t('set.queuePrompt'), prompt, t('set.queuePromptHint')),
        field(t('set.exitKeywords'), exitKeywords, t('set.listHint')),
        field(t('set.matchMode'), exitMatch, t('set.matchHint')),
        h('div', { class: 'field-row' }, field(t('set.queueMax'), maxLength), field(t('set.queueTimeout'), timeout, t('set.queueTimeoutHint'))),
        waitWithoutAgents, h('p', { class: 'hint', text: t('set.waitWithoutAgentsHint') })),
      h('fieldset', {}, h('legend', { text: t('set.outOfService') }), field(t('set.outOfServicePrompt'), outOfService),
        NO_SERVICE_REASONS.map((reason) => field(t('set.noService.' + reason), noService[reason]))),
    ];
  }

  // ---------- 满意度评价 ----------

  rating() {
    const box = checkbox('set-rating-enabled', t('set.ratingEnabled'), !!this.doc.rating_enabled);
    this.collect = () => ({ ...structuredClone(this.doc), rating_enabled: box.querySelector('input').checked });
    return [h('fieldset', {}, h('legend', { text: t('admin.rating') }), box, h('p', { class: 'hint', text: t('set.ratingHint') }))];
  }

  // ---------- 文件设置 ----------

  files() {
    const f = this.doc.files;
    const size = h('input', {
      id: 'set-file-max', type: 'number', min: 0.01, max: 50, step: 0.01, class: 'narrow',
      value: String(Math.round((f.max_bytes / MIB) * 100) / 100),
    });
    const boxes = FILE_TYPES.map((type) => {
      const box = checkbox('set-file-type-' + type, t('set.fileType.' + type), f.allowed_types.includes(type));
      box.dataset.type = type;
      return box;
    });
    this.collect = () => {
      const doc = structuredClone(this.doc);
      const mib = Number(size.value);
      if (!Number.isFinite(mib) || mib <= 0 || mib > 50) throw new Error(t('set.fileMaxBad'));
      doc.files = {
        max_bytes: Math.max(1024, Math.round(mib * MIB)),
        allowed_types: boxes.filter((box) => box.querySelector('input').checked).map((box) => box.dataset.type),
      };
      return doc;
    };
    return [
      h('fieldset', {}, h('legend', { text: t('set.fileLimit') }), field(t('set.fileMax'), size, t('set.fileMaxHint'))),
      h('fieldset', {}, h('legend', { text: t('set.fileTypes') }),
        h('p', { class: 'hint', text: t('set.fileTypesHint') }),
        h('div', { class: 'checks', id: 'file-types' }, boxes)),
    ];
  }

  // ---------- 会话设置 ----------

  sessionSettings() {
    const d = this.doc;
    const s = d.session;
    const phrases = h('textarea', { id: 'set-end-phrases', rows: 3, value: s.end_phrases.join('\n') });
    const endMatch = matchSelect({ id: 'set-end-match' }, s.end_phrases_match);
    const buttons = Object.entries(d.channels).map(([name, c]) => {
      const box = checkbox('set-end-button-' + name, t('set.endButtonFor', { channel: name }), c.end_button !== false);
      box.dataset.channel = name;
      return box;
    });
    const idle = h('input', { id: 'set-idle-timeout', type: 'number', min: 0, max: 86400, value: s.idle_timeout_seconds ?? 600, class: 'narrow' });
    const warning = h('input', { id: 'set-idle-warning', type: 'number', min: 0, max: 86400, value: s.idle_warning_seconds ?? 60, class: 'narrow' });
    const warningPrompt = h('textarea', { id: 'set-idle-prompt', rows: 2, value: s.idle_warning_prompt || '' });
    const grace = h('input', { id: 'set-presence-grace', type: 'number', min: 0, max: 3600, value: s.presence_grace_seconds ?? 60, class: 'narrow' });
    const words = h('textarea', { id: 'set-sensitive-words', rows: 5, value: d.sensitive_words.join('\n') });
    const summaryRequired = checkbox('set-summary-required', t('set.summaryRequired'), !!d.summary_required);
    this.collect = () => {
      const doc = structuredClone(this.doc);
      doc.session.end_phrases = splitList(phrases.value, false);
      doc.session.end_phrases_match = endMatch.value;
      for (const box of buttons) doc.channels[box.dataset.channel].end_button = box.querySelector('input').checked;
      doc.session.idle_timeout_seconds = int(idle.value, t('set.idleTimeout'));
      doc.session.idle_warning_seconds = int(warning.value, t('set.idleWarning'));
      doc.session.idle_warning_prompt = warningPrompt.value.trim();
      doc.session.presence_grace_seconds = int(grace.value, t('set.presenceGrace'));
      doc.sensitive_words = splitList(words.value, false);
      doc.summary_required = summaryRequired.querySelector('input').checked;
      return doc;
    };
    return [
      h('fieldset', {}, h('legend', { text: t('set.visitorEnd') }),
        field(t('set.endPhrases'), phrases, t('set.linesHint')),
        field(t('set.matchMode'), endMatch, t('set.matchHint')),
        h('div', { class: 'checks', id: 'end-buttons' }, buttons)),
      h('fieldset', {}, h('legend', { text: t('set.idle') }),
        h('div', { class: 'field-row' }, field(t('set.idleTimeout'), idle, t('set.idleHint')), field(t('set.idleWarning'), warning, t('set.seconds')),
          field(t('set.presenceGrace'), grace, t('set.seconds'))),
        field(t('set.idlePrompt'), warningPrompt, t('set.idlePromptHint'))),
      h('fieldset', {}, h('legend', { text: t('set.sensitive') }), field(t('set.sensitiveWords'), words, t('set.sensitiveHint'))),
      h('fieldset', {}, h('legend', { text: t('set.summary') }), summaryRequired, h('p', { class: 'hint', text: t('set.summaryRequiredHint') })),
    ];
  }
}

/** The service-hours editor: timezone, windows per weekday (HH:MM, minute precision), date overrides. */
class HoursEditor {
  constructor(hours) {
    this.timezone = h('input', { id: 'set-timezone', value: hours.timezone || 'Asia/Shanghai', list: 'tz-list' });
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['Asia/Shanghai', 'UTC'];
    this.days = {};
    const rows = DAYS.map((day) => {
      const list = h('div', { class: 'windows', id: 'windows-' + day });
      this.days[day] = list;
      for (const w of hours.weekly[day] || []) list.append(this.windowRow(w, t('day.' + day)));
      return h('tr', { dataset: { day } },
        h('th', { scope: 'row', text: t('day.' + day) }),
        h('td', {}, list, h('button', { type: 'button', class: 'link', id: 'add-window-' + day, text: t('set.addWindow'), onclick: () => list.append(this.windowRow({ start: '09:00', end: '18:00' }, t('day.' + day))) })));
    });
    this.overrides = h('tbody', { id: 'override-rows' });
    for (const o of hours.overrides || []) this.overrides.append(this.overrideRow(o));
    this.element = h('fieldset', { id: 'service-hours' }, h('legend', { text: t('set.hours') }),
      h('p', { class: 'hint', text: t('set.hoursHint') }),
      field(t('set.timezone'), this.timezone),
      h('datalist', { id: 'tz-list' }, zones.map((z) => h('option', { value: z }))),
      h('table', { class: 'table hours' }, h('tbody', {}, rows)),
      h('button', { type: 'button', class: 'btn', id: 'copy-monday', text: t('set.copyMonday'), onclick: () => this.copyMonday() }),
      h('h3', { text: t('set.overrides') }),
      h('p', { class: 'hint', text: t('set.overridesHint') }),
      h('table', { class: 'table' },
        h('thead', {}, h('tr', {}, ['set.date', 'set.overrideType', 'set.windows', 'common.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        this.overrides),
      h('button', { type: 'button', class: 'btn', id: 'add-override', text: t('set.addOverride'), onclick: () => this.overrides.append(this.overrideRow({ date: '', closed: true, windows: [] })) }));
  }

  windowRow(w, label) {
    const start = h('input', { class: 'time start', value: w.start, maxlength: 5, inputmode: 'numeric', placeholder: '09:00', 'aria-label': t('set.start') + ' ' + label });
    const end = h('input', { class: 'time end', value: w.end, maxlength: 5, inputmode: 'numeric', placeholder: '18:00', 'aria-label': t('set.end') + ' ' + label });
    const row = h('div', { class: 'window' }, start, h('span', { text: '–' }), end,
      h('button', { type: 'button', class: 'link danger', text: t('common.delete'), onclick: () => row.remove() }));
    return row;
  }

  overrideRow(o) {
    const date = h('input', { type: 'date', class: 'ov-date', value: o.date || '', 'aria-label': t('set.date') });
    const kind = h('select', { class: 'ov-kind', 'aria-label': t('set.overrideType') },
      h('option', { value: 'closed', text: t('set.closed'), selected: !!o.closed }),
      h('option', { value: 'special', text: t('set.special'), selected: !o.closed }));
    const windows = h('div', { class: 'windows' });
    for (const w of o.windows || []) windows.append(this.windowRow(w, t('set.special')));
    const addWindow = h('button', { type: 'button', class: 'link', text: t('set.addWindow'), onclick: () => windows.append(this.windowRow({ start: '10:00', end: '16:00' }, t('set.special'))) });
    const sync = () => {
      const special = kind.value === 'special';
      windows.hidden = !special;
      addWindow.hidden = !special;
    };
    kind.addEventListener('change', sync);
    sync();
    const row = h('tr', { class: 'override' },
      h('td', {}, date), h('td', {}, kind), h('td', {}, windows, addWindow),
      h('td', {}, h('button', { type: 'button', class: 'link danger', text: t('common.delete'), onclick: () => row.remove() })));
    return row;
  }

  copyMonday() {
    const monday = this.readWindows(this.days.mon);
    for (const day of ['tue', 'wed', 'thu', 'fri']) {
      this.days[day].replaceChildren(...monday.map((w) => this.windowRow(w, t('day.' + day))));
    }
  }

  readWindows(container) {
    return Array.from(container.querySelectorAll(':scope > .window')).map((row) => {
      const start = row.querySelector('.start').value.trim();
      const end = row.querySelector('.end').value.trim();
      if (!TIME.test(start) || !TIME.test(end)) throw new Error(t('set.badTime', { value: !TIME.test(start) ? start : end }));
      return { start, end };
    });
  }

  collect() {
    const weekly = {};
    for (const day of DAYS) weekly[day] = this.readWindows(this.days[day]);
    const overrides = Array.from(this.overrides.querySelectorAll('tr')).map((row) => {
      const date = row.querySelector('.ov-date').value;
      if (!DATE.test(date)) throw new Error(t('set.badDate'));
      const closed = row.querySelector('.ov-kind').value === 'closed';
      return closed ? { date, closed: true, windows: [] } : { date, closed: false, windows: this.readWindows(row.querySelector('.windows')) };
    });
    const timezone = this.timezone.value.trim();
    if (!timezone) throw new Error(t('set.badTimezone'));
    return { timezone, weekly, overrides };
  }
}

function field(label, input, hint) {
  return h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input, hint ? h('p', { class: 'hint', text: hint }) : null);
}

function checkbox(id, label, checked) {
  return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, checked }), h('label', { for: id, text: label }));
}

function int(value, label) {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new Error(t('set.badNumber', { field: label }));
  return n;
}
