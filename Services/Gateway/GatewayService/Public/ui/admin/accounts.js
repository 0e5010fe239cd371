// 账号管理: agents and admins — role, 自动接入人数 (capacity), disable, password reset, new accounts.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi, auth } from '../staff.js';
import { openDialog, toast } from '../dialog.js';
import { dateTime } from '../format.js';

export class AccountsPage {
  constructor() {
    this.element = h('section', { class: 'page', id: 'page-accounts' });
  }

  async load() {
    replace(this.element, h('h2', { text: t('admin.accounts') }), h('p', { class: 'hint', text: t('common.loading') }));
    let items;
    try {
      items = (await staffApi('GET', '/admin/accounts')).items || [];
    } catch (e) {
      replace(this.element, h('h2', { text: t('admin.accounts') }), h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }));
      return;
    }
    const me = auth() && auth().account && auth().account.agent_id;
    const rows = items.map((a) => {
      const capacity = h('input', { type: 'number', min: 0, max: 50, value: a.capacity, class: 'narrow acc-capacity', 'aria-label': t('acc.capacity') + ' ' + a.username });
      const role = h('select', { class: 'acc-role', 'aria-label': t('acc.role') + ' ' + a.username, disabled: a.agent_id === me },
        ['agent', 'supervisor', 'admin'].map((r) => h('option', { value: r, text: t('role.' + r), selected: a.role === r })));
      const disabled = h('input', { type: 'checkbox', class: 'acc-disabled', checked: a.disabled, disabled: a.agent_id === me, 'aria-label': t('acc.disabled') + ' ' + a.username });
      return h('tr', { dataset: { agent: a.agent_id, username: a.username } },
        h('td', { text: a.username }),
        h('td', { text: a.display_name }),
        h('td', {}, role),
        h('td', {}, capacity),
        h('td', {}, disabled),
        h('td', { text: dateTime(a.created_at) }),
        h('td', { class: 'row-actions' },
          h('button', {
            type: 'button', class: 'btn small acc-save', text: t('common.save'),
            onclick: () => this.update(a, { capacity: Number(capacity.value), role: role.value, disabled: disabled.checked }),
          }),
          h('button', { type: 'button', class: 'link', text: t('acc.resetPassword'), onclick: () => this.resetPassword(a) })));
    });
    replace(this.element,
      h('h2', { text: t('admin.accounts') }),
      h('p', { class: 'hint', text: t('acc.hint') }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'accounts-table' },
        h('thead', {}, h('tr', {}, ['acc.username', 'acc.displayName', 'acc.role', 'acc.capacity', 'acc.disabled', 'acc.created', 'common.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, rows))),
      h('button', { type: 'button', class: 'btn primary', id: 'account-new', text: t('acc.new'), onclick: () => this.create() }));
  }

  async update(account, changes) {
    if (!Number.isInteger(changes.capacity) || changes.capacity < 0 || changes.capacity > 50) {
      toast(t('acc.badCapacity'), 'error');
      return;
    }
    try {
      await staffApi('PATCH', '/admin/accounts/' + account.agent_id, { body: changes });
      toast(t('admin.saved'));
      await this.load();
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }

  resetPassword(account) {
    const password = h('input', { id: 'reset-password', type: 'password', minlength: 8, maxlength: 128, autocomplete: 'new-password' });
    openDialog({
      title: t('acc.resetPassword') + ' · ' + account.username, id: 'reset-dialog',
      body: [h('label', { for: password.id, text: t('acc.newPassword') }), password, h('p', { class: 'hint', text: t('acc.passwordHint') })],
      actions: [{ label: t('common.cancel') }, {
        label: t('common.save'), primary: true,
        onClick: async () => {
          if (password.value.length < 8) throw new Error(t('acc.passwordHint'));
          await staffApi('PATCH', '/admin/accounts/' + account.agent_id, { body: { password: password.value } });
          toast(t('acc.passwordReset'));
        },
      }],
    });
  }

  create() {
    const username = h('input', { id: 'new-username', maxlength: 64, autocomplete: 'off' });
    const name = h('input', { id: 'new-display-name', maxlength: 64 });
    const role = h('select', { id: 'new-role' }, ['agent', 'supervisor', 'admin'].map((r) => h('option', { value: r, text: t('role.' + r) })));
    const password = h('input', { id: 'new-password', type: 'password', minlength: 8, maxlength: 128, autocomplete: 'new-password' });
    const capacity = h('input', { id: 'new-capacity', type: 'number', min: 0, max: 50, value: 5 });
    const field = (label, input, hint) => h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input, hint ? h('p', { class: 'hint', text: hint }) : null);
    openDialog({
      title: t('acc.new'), id: 'account-dialog',
      body: [field(t('acc.username'), username, t('acc.usernameHint')), field(t('acc.displayName'), name), field(t('acc.role'), role),
        field(t('acc.password'), password, t('acc.passwordHint')), field(t('acc.capacity'), capacity, t('acc.capacityHint'))],
      actions: [{ label: t('common.cancel') }, {
        label: t('common.create'), primary: true, id: 'account-create',
        onClick: async () => {
          await staffApi('POST', '/admin/accounts', {
            body: { username: username.value.trim(), display_name: name.value.trim(), role: role.value, password: password.value, capacity: Number(capacity.value) },
          });
          toast(t('acc.createdToast'));
          await this.load();
        },
      }],
    });
  }
}
