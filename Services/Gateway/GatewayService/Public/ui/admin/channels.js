// API 渠道: channels an integrator's backend drives over HTTP, and their API keys (shown once, revocable,
// rotatable). Human-service rules of a channel are set on the 人工客服设置 page like any channel's.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { openDialog, confirmDialog, toast } from '../dialog.js';
import { dateTime } from '../format.js';

export class ChannelsPage {
  constructor() {
    this.element = h('section', { class: 'page', id: 'page-channels' });
    this.selected = null;
  }

  async load() {
    replace(this.element, h('h2', { text: t('admin.channels') }), h('p', { class: 'hint', text: t('common.loading') }));
    let channels;
    try {
      channels = (await staffApi('GET', '/admin/channels')).channels || [];
    } catch (e) {
      replace(this.element, h('h2', { text: t('admin.channels') }), h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }));
      return;
    }
    const rows = channels.map((c) => h('tr', { dataset: { channel: c.name } },
      h('td', {}, h('code', { text: c.name })),
      h('td', { text: c.display_name }),
      h('td', { text: String(c.active_keys) }),
      h('td', { text: dateTime(c.created_at) }),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'btn small ch-keys', text: t('ch.keys'), onclick: () => this.showKeys(c.name) }))));
    this.keysArea = h('div', { id: 'channel-keys' });
    replace(this.element,
      h('h2', { text: t('admin.channels') }),
      h('p', { class: 'hint', text: t('ch.hint') }),
      channels.length === 0 ? h('p', { class: 'hint', text: t('ch.none') }) : h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'channels-table' },
        h('thead', {}, h('tr', {}, ['ch.name', 'ch.displayName', 'ch.activeKeys', 'ch.created', 'common.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, rows))),
      h('button', { type: 'button', class: 'btn primary', id: 'channel-new', text: t('ch.new'), onclick: () => this.create() }),
      this.keysArea);
    if (this.selected && channels.some((c) => c.name === this.selected)) await this.showKeys(this.selected);
  }

  async showKeys(name) {
    this.selected = name;
    let keys;
    try {
      keys = (await staffApi('GET', '/admin/channels/' + encodeURIComponent(name) + '/keys')).keys || [];
    } catch (e) {
      replace(this.keysArea, h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }));
      return;
    }
    const rows = keys.map((k) => h('tr', { dataset: { key: k.id } },
      h('td', {}, h('code', { text: k.prefix + '…' })),
      h('td', { text: k.label || '—' }),
      h('td', { text: t('ch.status.' + k.status) }),
      h('td', { text: dateTime(k.created_at) }),
      h('td', { text: k.revoked_at ? dateTime(k.revoked_at) : '—' }),
      h('td', { class: 'row-actions' }, k.status === 'active' ? [
        h('button', { type: 'button', class: 'btn small key-rotate', text: t('ch.rotate'), onclick: () => this.rotate(name, k) }),
        h('button', { type: 'button', class: 'link key-revoke', text: t('ch.revoke'), onclick: () => this.revoke(name, k) }),
      ] : null)));
    replace(this.keysArea,
      h('h3', { text: t('ch.keysOf', { name }) }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'keys-table' },
        h('thead', {}, h('tr', {}, ['ch.prefix', 'ch.label', 'ch.status', 'ch.created', 'ch.revokedAt', 'common.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
        h('tbody', {}, rows))),
      h('button', { type: 'button', class: 'btn', id: 'key-new', text: t('ch.newKey'), onclick: () => this.newKey(name) }));
  }

  /** Shows a key's secret once, with a copy button. */
  showSecret(key) {
    const field = h('input', { id: 'key-secret', readonly: true, value: key.key, class: 'wide' });
    openDialog({
      title: t('ch.secretTitle'), id: 'key-secret-dialog',
      body: [h('p', { class: 'hint', text: t('ch.secretHint') }), field],
      actions: [
        { label: t('ch.copy'), id: 'key-copy', onClick: async () => { await navigator.clipboard.writeText(key.key).catch(() => field.select()); toast(t('ch.copied')); return false; } },
        { label: t('common.close'), primary: true },
      ],
    });
  }

  create() {
    const name = h('input', { id: 'new-channel-name', maxlength: 64, autocomplete: 'off', pattern: '[a-z0-9][a-z0-9_-]{0,63}' });
    const display = h('input', { id: 'new-channel-display', maxlength: 64 });
    const field = (label, input, hint) => h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input, hint ? h('p', { class: 'hint', text: hint }) : null);
    openDialog({
      title: t('ch.new'), id: 'channel-dialog',
      body: [field(t('ch.name'), name, t('ch.nameHint')), field(t('ch.displayName'), display)],
      actions: [{ label: t('common.cancel') }, {
        label: t('common.create'), primary: true, id: 'channel-create',
        onClick: async () => {
          const body = { name: name.value.trim() };
          if (display.value.trim()) body.display_name = display.value.trim();
          const created = await staffApi('POST', '/admin/channels', { body });
          this.selected = created.channel.name;
          await this.load();
          this.showSecret(created.key);
        },
      }],
    });
  }

  newKey(channel) {
    const label = h('input', { id: 'new-key-label', maxlength: 64 });
    openDialog({
      title: t('ch.newKey'), id: 'key-dialog',
      body: [h('div', { class: 'field' }, h('label', { for: label.id, text: t('ch.label') }), label)],
      actions: [{ label: t('common.cancel') }, {
        label: t('common.create'), primary: true, id: 'key-create',
        onClick: async () => {
          const key = await staffApi('POST', '/admin/channels/' + encodeURIComponent(channel) + '/keys', { body: label.value.trim() ? { label: label.value.trim() } : {} });
          await this.load();
          this.showSecret(key);
        },
      }],
    });
  }

  rotate(channel, key) {
    const grace = h('select', { id: 'rotate-grace' }, [0, 3600, 86400, 604800].map((s) => h('option', { value: s, text: t('ch.grace.' + s) })));
    openDialog({
      title: t('ch.rotate') + ' · ' + key.prefix + '…', id: 'rotate-dialog',
      body: [h('div', { class: 'field' }, h('label', { for: grace.id, text: t('ch.grace') }), grace), h('p', { class: 'hint', text: t('ch.rotateHint') })],
      actions: [{ label: t('common.cancel') }, {
        label: t('ch.rotate'), primary: true, id: 'rotate-ok',
        onClick: async () => {
          const rotated = await staffApi('POST', '/admin/channels/' + encodeURIComponent(channel) + '/keys/' + key.id + '/rotate', { body: { grace_seconds: Number(grace.value) } });
          await this.load();
          this.showSecret(rotated.key);
        },
      }],
    });
  }

  async revoke(channel, key) {
    if (!(await confirmDialog(t('ch.revokeConfirm', { prefix: key.prefix }), { okLabel: t('ch.revoke') }))) return;
    try {
      await staffApi('DELETE', '/admin/channels/' + encodeURIComponent(channel) + '/keys/' + key.id);
      toast(t('ch.revoked'));
      await this.load();
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }
}
