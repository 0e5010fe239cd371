// 技能组: skill groups (kept in the routing settings document) with their queues, and which agents serve them.
import { h, replace, splitList } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { confirmDialog, toast } from '../dialog.js';

const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Open around the clock in the settings' timezone. */
const alwaysOpen = (timezone) => ({ timezone, weekly: Object.fromEntries(DAYS.map((d) => [d, [{ start: '00:00', end: '24:00' }]])), overrides: [] });

export class GroupsPage {
  constructor() {
    this.element = h('section', { class: 'page', id: 'page-groups' });
  }

  async load() {
    replace(this.element, h('h2', { text: t('admin.groups') }), h('p', { class: 'hint', text: t('common.loading') }));
    try {
      const [settings, queues, agents] = await Promise.all([
        staffApi('GET', '/admin/settings'),
        staffApi('GET', '/admin/groups'),
        staffApi('GET', '/agent/agents', { query: { online_only: false } }),
      ]);
      this.version = settings.version;
      this.settings = settings.settings;
      this.queues = queues.groups || [];
      this.agents = agents.items || [];
    } catch (e) {
      replace(this.element, h('h2', { text: t('admin.groups') }), h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }));
      return;
    }
    this.render();
  }

  groups() { return this.settings.groups || {}; }

  render() {
    const groups = this.groups();
    const ids = Object.keys(groups).sort();
    const waiting = Object.fromEntries(this.queues.map((q) => [q.group || '', q]));
    const rows = ids.map((id) => {
      const g = groups[id];
      const q = waiting[id] || {};
      const overflow = g.overflow
        ? t('grp.overflowText', { seconds: g.overflow.after_seconds, to: g.overflow.to === 'leave_message' ? t('grp.leaveMessage') : g.overflow.to })
        : '—';
      return h('tr', { dataset: { group: id } },
        h('td', { text: id }),
        h('td', { text: g.name }),
        h('td', { text: (g.channels || []).join(', ') || '—' }),
        h('td', { text: (g.transfer_keywords || []).join(', ') || '—' }),
        h('td', { class: 'grp-waiting', text: String(q.waiting || 0) }),
        h('td', { text: String(q.agents_online || 0) }),
        h('td', { text: overflow }),
        h('td', { class: 'row-actions' },
          h('button', { type: 'button', class: 'btn small grp-edit', text: t('common.edit'), onclick: () => this.renderForm(id) }),
          h('button', { type: 'button', class: 'btn small danger grp-delete', text: t('common.delete'), onclick: () => this.remove(id) })));
    });
    const defaultQueue = waiting[''] || {};
    replace(this.element,
      h('h2', { text: t('admin.groups') }),
      h('p', { class: 'hint', text: t('grp.hint') }),
      h('p', { class: 'hint', id: 'grp-default', text: t('grp.defaultQueue', { waiting: defaultQueue.waiting || 0 }) }),
      ids.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'groups-table' },
          h('thead', {}, h('tr', {}, ['grp.id', 'grp.name', 'grp.channels', 'grp.keywords', 'grp.waiting', 'grp.online', 'grp.overflow', 'common.actions']
            .map((k) => h('th', { scope: 'col', text: t(k) })))),
          h('tbody', {}, rows)))
        : h('p', { class: 'empty', id: 'groups-empty', text: t('grp.empty') }),
      h('button', { type: 'button', class: 'btn primary', id: 'grp-new', text: t('grp.new'), onclick: () => this.renderForm(null) }),
      h('div', { id: 'grp-form-area' }),
      this.membership(ids));
  }

  renderForm(id) {
    const g = (id && this.groups()[id]) || {};
    const field = (key, label, value, props = {}) => h('div', { class: 'field' },
      h('label', { for: 'grp-' + key, text: t(label) }),
      h('input', { id: 'grp-' + key, value: value == null ? '' : String(value), ...props }));
    const targets = Object.keys(this.groups()).filter((other) => other !== id).sort();
    const overflowTo = h('select', { id: 'grp-overflow-to' },
      h('option', { value: '', text: t('grp.noOverflow') }),
      h('option', { value: 'leave_message', text: t('grp.leaveMessage') }),
      targets.map((other) => h('option', { value: other, text: other + ' · ' + this.groups()[other].name })));
    overflowTo.value = g.overflow ? g.overflow.to : '';
    const hours = h('select', { id: 'grp-hours' },
      h('option', { value: '', text: t('grp.hoursShared') }),
      h('option', { value: 'always', text: t('grp.hoursAlways') }),
      g.service_hours ? h('option', { value: 'own', text: t('grp.hoursOwn') }) : null);
    hours.value = g.service_hours ? 'own' : '';
    const error = h('p', { class: 'form-error', id: 'grp-form-error', role: 'alert' });
    const form = h('form', { class: 'card form', id: 'grp-form', onsubmit: (event) => { event.preventDefault(); this.save(id, form, error); } },
      h('h3', { text: id ? t('grp.editTitle', { id }) : t('grp.new') }),
      field('id', 'grp.id', id, id ? { readonly: true } : { required: true, pattern: '[a-z0-9][a-z0-9_\\-]{0,63}', placeholder: 'aftersales' }),
      field('name', 'grp.name', g.name, { required: true, maxlength: 50 }),
      field('channels', 'grp.channels', (g.channels || []).join(', '), { placeholder: 'web-pc, web-h5' }),
      field('keywords', 'grp.keywords', (g.transfer_keywords || []).join(', '), { placeholder: t('grp.keywordsHint') }),
      h('div', { class: 'field' }, h('label', { for: hours.id, text: t('grp.hours') }), hours),
      field('prompt', 'grp.prompt', g.queue_prompt, { maxlength: 500, placeholder: t('grp.promptHint') }),
      field('max', 'grp.maxLength', g.queue_max_length, { type: 'number', min: 1, max: 10000 }),
      field('capacity', 'grp.capacity', g.agent_capacity, { type: 'number', min: 1, max: 50 }),
      field('overflow-after', 'grp.overflowAfter', g.overflow && g.overflow.after_seconds, { type: 'number', min: 10, max: 86400 }),
      h('div', { class: 'field' }, h('label', { for: overflowTo.id, text: t('grp.overflowTo') }), overflowTo),
      error,
      h('div', { class: 'form-actions' },
        h('button', { type: 'submit', class: 'btn primary', id: 'grp-save', text: t('common.save') }),
        h('button', { type: 'button', class: 'btn', text: t('common.cancel'), onclick: () => this.render() })));
    replace(this.element.querySelector('#grp-form-area'), form);
    form.querySelector('input:not([readonly])').focus();
  }

  async save(existing, form, error) {
    const value = (key) => form.querySelector('#grp-' + key).value.trim();
    const number = (key) => (value(key) === '' ? undefined : Number(value(key)));
    const id = existing || value('id');
    if (!ID_PATTERN.test(id)) { error.textContent = t('grp.badId'); return; }
    const group = { name: value('name'), channels: splitList(value('channels')), transfer_keywords: splitList(value('keywords')) };
    if (value('prompt')) group.queue_prompt = value('prompt');
    if (number('max') !== undefined) group.queue_max_length = number('max');
    if (number('capacity') !== undefined) group.agent_capacity = number('capacity');
    const to = form.querySelector('#grp-overflow-to').value;
    if (to) group.overflow = { after_seconds: number('overflow-after') || 120, to };
    const previous = this.groups()[id];
    const hours = form.querySelector('#grp-hours').value;
    if (hours === 'own' && previous && previous.service_hours) group.service_hours = previous.service_hours;
    if (hours === 'always') group.service_hours = alwaysOpen((this.settings.service_hours || {}).timezone || 'Asia/Shanghai');
    await this.store({ ...this.groups(), [id]: group }, error);
  }

  async remove(id) {
    if (!(await confirmDialog(t('grp.deleteConfirm', { name: this.groups()[id].name }), { okLabel: t('common.delete') }))) return;
    const rest = { ...this.groups() };
    delete rest[id];
    await this.store(rest, null);
  }

  async store(groups, error) {
    try {
      await staffApi('PUT', '/admin/settings', { body: { settings: { ...this.settings, groups }, expected_version: this.version } });
      toast(t('grp.saved'));
      await this.load();
    } catch (e) {
      const text = e.display || String(e);
      if (error) error.textContent = text;
      else toast(text, 'error');
    }
  }

  membership(ids) {
    if (!ids.length) return null;
    const rows = this.agents.map((agent) => {
      const boxes = ids.map((id) => h('td', {}, h('input', {
        type: 'checkbox', class: 'grp-member', dataset: { group: id },
        'aria-label': t('grp.memberOf', { agent: agent.name, group: this.groups()[id].name }),
        checked: (agent.groups || []).includes(id),
      })));
      const row = h('tr', { dataset: { agent: agent.agent_id } },
        h('th', { scope: 'row', text: agent.name }), boxes,
        h('td', {}, h('button', {
          type: 'button', class: 'btn small grp-members-save', text: t('common.save'),
          onclick: () => this.saveMembership(agent, row),
        })));
      return row;
    });
    return h('div', { class: 'card', id: 'grp-members' },
      h('h3', { text: t('grp.members') }),
      h('p', { class: 'hint', text: t('grp.membersHint') }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'grp-members-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: t('grp.agent') }), ids.map((id) => h('th', { scope: 'col', text: this.groups()[id].name })), h('th', { scope: 'col', text: t('common.actions') }))),
        h('tbody', {}, rows))));
  }

  async saveMembership(agent, row) {
    const groups = Array.from(row.querySelectorAll('.grp-member')).filter((box) => box.checked).map((box) => box.dataset.group);
    try {
      await staffApi('PUT', '/admin/accounts/' + agent.agent_id + '/groups', { body: { groups } });
      toast(t('grp.membersSaved', { agent: agent.name }));
      agent.groups = groups;
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }
}
