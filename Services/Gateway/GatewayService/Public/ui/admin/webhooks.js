// Webhooks: endpoints (URL, event types, channels), their recent deliveries, retry one, replay a time range,
// rotate the secret, disable or enable. The secret is shown once, when created or rotated.
import { h, replace, splitList } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { openDialog, confirmDialog, toast } from '../dialog.js';
import { dateTime } from '../format.js';

const STATUSES = ['pending', 'failed', 'delivered', 'dead', 'blocked'];

export class WebhooksPage {
  constructor() {
    this.element = h('section', { class: 'page', id: 'page-webhooks' });
    this.eventTypes = [];
  }

  async load() {
    replace(this.element, h('h2', { text: t('admin.webhooks') }), h('p', { class: 'hint', text: t('common.loading') }));
    let list;
    try {
      list = await staffApi('GET', '/admin/webhooks');
    } catch (e) {
      replace(this.element, h('h2', { text: t('admin.webhooks') }), h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }));
      return;
    }
    this.eventTypes = list.event_types || [];
    const items = list.items || [];
    const failing = items.filter((w) => !w.enabled && w.disabled_reason && w.disabled_reason.startsWith('failing'));
    const rows = items.map((w) => h('tr', { dataset: { endpoint: w.id } },
      h('td', {}, h('div', { class: 'wh-url', text: w.url }), w.description ? h('div', { class: 'hint', text: w.description }) : null),
      h('td', {}, w.event_types.map((type) => h('span', { class: 'tag', text: type }))),
      h('td', { text: w.channels.length ? w.channels.join(t('common.listSep')) : t('common.all') }),
      h('td', {}, h('span', { class: 'tag wh-state', text: w.enabled ? t('wh.enabled') : t('wh.disabled') }),
        w.disabled_reason ? h('div', { class: 'hint', text: w.disabled_reason }) : null,
        w.consecutive_failures ? h('div', { class: 'hint', text: t('wh.failures', { n: w.consecutive_failures }) }) : null),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'btn small wh-deliveries', text: t('wh.deliveries'), onclick: () => this.deliveries(w) }),
        h('button', { type: 'button', class: 'link wh-toggle', text: w.enabled ? t('wh.disable') : t('wh.enable'), onclick: () => this.toggle(w) }),
        h('button', { type: 'button', class: 'link wh-rotate', text: t('wh.rotate'), onclick: () => this.rotate(w) }))));
    replace(this.element,
      h('h2', { text: t('admin.webhooks') }),
      failing.length ? h('p', { class: 'form-error', role: 'alert', id: 'wh-failing', text: t('wh.autoDisabled', { urls: failing.map((w) => w.url).join(t('common.listSep')) }) }) : null,
      h('p', { class: 'hint', text: t('wh.hint') }),
      items.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'webhooks-table' },
          h('thead', {}, h('tr', {}, ['wh.url', 'wh.eventTypes', 'wh.channels', 'wh.state', 'common.actions'].map((k) => h('th', { scope: 'col', text: t(k) })))),
          h('tbody', {}, rows)))
        : h('p', { class: 'hint', text: t('wh.empty') }),
      h('button', { type: 'button', class: 'btn primary', id: 'webhook-new', text: t('wh.new'), onclick: () => this.create() }));
  }

  create() {
    const url = h('input', { id: 'wh-new-url', type: 'url', maxlength: 2048 });
    const boxes = this.eventTypes.map((type) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: type, class: 'wh-type', checked: type === 'message.accepted' }), ' ' + type));
    const channels = h('input', { id: 'wh-new-channels', maxlength: 500, placeholder: 'wechat, web-pc' });
    const timeout = h('input', { id: 'wh-new-timeout', type: 'number', min: 100, max: 60000, value: 10000 });
    const description = h('input', { id: 'wh-new-description', maxlength: 200 });
    const field = (label, input, hint) => h('div', { class: 'field' }, h('label', { for: input.id, text: label }), input, hint ? h('p', { class: 'hint', text: hint }) : null);
    openDialog({
      title: t('wh.new'), id: 'webhook-dialog', wide: true,
      body: [field(t('wh.url'), url, t('wh.urlHint')),
        h('fieldset', { class: 'field' }, h('legend', { text: t('wh.eventTypes') }), h('div', { class: 'wh-types' }, boxes)),
        field(t('wh.channels'), channels, t('wh.channelsHint')), field(t('wh.timeout'), timeout), field(t('wh.description'), description)],
      actions: [{ label: t('common.cancel') }, {
        label: t('common.create'), primary: true, id: 'webhook-create',
        onClick: async () => {
          const created = await staffApi('POST', '/admin/webhooks', {
            body: {
              url: url.value.trim(), event_types: boxes.map((b) => b.querySelector('input')).filter((i) => i.checked).map((i) => i.value),
              channels: splitList(channels.value), timeout_ms: Number(timeout.value), description: description.value.trim(),
            },
          });
          await this.load();
          this.showSecret(created.secret);
        },
      }],
    });
  }

  showSecret(secret) {
    const field = h('input', { id: 'wh-secret', readonly: true, value: secret, class: 'wide' });
    openDialog({
      title: t('wh.secret'), id: 'webhook-secret-dialog',
      body: [h('p', { text: t('wh.secretOnce') }), field],
      actions: [{ label: t('common.ok'), primary: true }],
    });
    field.select();
  }

  async toggle(endpoint) {
    if (endpoint.enabled && !(await confirmDialog(t('wh.disableConfirm', { url: endpoint.url })))) return;
    try {
      await staffApi('PATCH', '/admin/webhooks/' + endpoint.id, { body: { enabled: !endpoint.enabled } });
      toast(t('admin.saved'));
      await this.load();
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }

  async rotate(endpoint) {
    if (!(await confirmDialog(t('wh.rotateConfirm')))) return;
    try {
      const rotated = await staffApi('POST', '/admin/webhooks/' + endpoint.id + '/rotate-secret');
      this.showSecret(rotated.secret);
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }

  deliveries(endpoint) {
    const status = h('select', { id: 'wh-status', 'aria-label': t('wh.status') },
      h('option', { value: '', text: t('common.all') }), STATUSES.map((s) => h('option', { value: s, text: t('wh.s.' + s) })));
    const table = h('div', { class: 'table-wrap', id: 'wh-deliveries' });
    const from = h('input', { id: 'wh-replay-from', type: 'datetime-local' });
    const to = h('input', { id: 'wh-replay-to', type: 'datetime-local' });
    const includeDelivered = h('input', { id: 'wh-replay-all', type: 'checkbox' });
    const render = async () => {
      replace(table, h('p', { class: 'hint', text: t('common.loading') }));
      try {
        const query = status.value ? '?status=' + status.value : '';
        const items = (await staffApi('GET', '/admin/webhooks/' + endpoint.id + '/deliveries' + query)).items || [];
        replace(table, items.length ? h('table', { class: 'table' },
          h('thead', {}, h('tr', {}, ['wh.event', 'wh.status', 'wh.attempts', 'wh.code', 'wh.latency', 'wh.lastError', 'wh.time', 'common.actions']
            .map((k) => h('th', { scope: 'col', text: t(k) })))),
          h('tbody', {}, items.map((d) => h('tr', { dataset: { delivery: d.id } },
            h('td', {}, h('div', { text: d.event_type }), h('div', { class: 'hint', text: d.session_id ? d.session_id.slice(0, 8) + ' #' + d.seq : d.webhook_id.slice(0, 8) })),
            h('td', {}, h('span', { class: 'tag wh-s-' + d.status, text: t('wh.s.' + d.status) }),
              d.next_attempt_at ? h('div', { class: 'hint', text: t('wh.next', { time: dateTime(d.next_attempt_at) }) }) : null),
            h('td', { text: String(d.attempts) }),
            h('td', { text: d.last_status_code == null ? '–' : String(d.last_status_code) }),
            h('td', { text: d.last_latency_ms == null ? '–' : d.last_latency_ms + ' ms' }),
            h('td', { class: 'wh-error', text: d.last_error || '' }),
            h('td', { text: dateTime(d.created_at) }),
            h('td', {}, d.status === 'pending' ? null : h('button', {
              type: 'button', class: 'btn small wh-retry', text: t('common.retry'),
              onclick: async () => {
                try {
                  await staffApi('POST', '/admin/webhooks/' + endpoint.id + '/deliveries/' + d.id + '/retry');
                  toast(t('wh.retried'));
                  await render();
                } catch (e) {
                  toast(e.display || String(e), 'error');
                }
              },
            })))))) : h('p', { class: 'hint', text: t('wh.noDeliveries') }));
      } catch (e) {
        replace(table, h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }));
      }
    };
    status.addEventListener('change', render);
    openDialog({
      title: t('wh.deliveries') + ' · ' + endpoint.url, id: 'webhook-deliveries-dialog', wide: true,
      body: [h('div', { class: 'toolbar' }, status, h('button', { type: 'button', class: 'btn', text: t('common.refresh'), onclick: render })), table,
        h('fieldset', { class: 'field' }, h('legend', { text: t('wh.replay') }), h('p', { class: 'hint', text: t('wh.replayHint') }),
          h('div', { class: 'toolbar' }, h('label', { for: from.id, text: t('wh.from') }), from, h('label', { for: to.id, text: t('wh.to') }), to,
            h('label', { class: 'check' }, includeDelivered, ' ' + t('wh.includeDelivered')),
            h('button', {
              type: 'button', class: 'btn', id: 'wh-replay', text: t('wh.replay'),
              onclick: async () => {
                if (!from.value || !to.value) { toast(t('wh.replayRange'), 'error'); return; }
                try {
                  const result = await staffApi('POST', '/admin/webhooks/' + endpoint.id + '/replay', {
                    body: { from: new Date(from.value).toISOString(), to: new Date(to.value).toISOString(), include_delivered: includeDelivered.checked },
                  });
                  toast(t('wh.replayed', { n: result.queued }));
                  await render();
                } catch (e) {
                  toast(e.display || String(e), 'error');
                }
              },
            })))],
      actions: [{ label: t('common.close') }],
    });
    render();
  }
}
