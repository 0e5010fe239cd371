// Left messages (留言): 未接单 / 已接单 / 已结单 lists with claim and close, for agents and admins.
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { staffApi } from './staff.js';
import { dateTime } from './format.js';
import { openDialog, toast } from './dialog.js';
import { imageView } from './media.js';
import { staffImage } from './transcript.js';

const STATES = ['unclaimed', 'claimed', 'closed'];

export class LeaveMessages {
  constructor({ idPrefix = 'lm' } = {}) {
    this.prefix = idPrefix;
    this.state = 'unclaimed';
    this.items = [];
    this.cursor = null;
    this.list = h('ul', { class: 'lm-list', id: idPrefix + '-list' });
    this.more = h('button', { type: 'button', class: 'btn', hidden: true, text: t('common.more'), onclick: () => this.load(false) });
    this.tabs = STATES.map((state) => h('button', {
      type: 'button', role: 'tab', id: idPrefix + '-tab-' + state, 'aria-selected': String(state === this.state),
      text: t('lm.' + state),
      onclick: () => {
        this.state = state;
        this.tabs.forEach((b) => b.setAttribute('aria-selected', String(b.id.endsWith(state))));
        this.load(true);
      },
    }));
    this.element = h('div', { class: 'leave-messages' },
      h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('nav.leave') }, this.tabs,
        h('button', { type: 'button', class: 'btn small', id: idPrefix + '-refresh', text: t('common.refresh'), onclick: () => this.load(true) })),
      this.list, this.more);
    this.onUpdate = () => this.load(true);
    window.addEventListener('kefu:leave-message', this.onUpdate);
  }

  dispose() {
    window.removeEventListener('kefu:leave-message', this.onUpdate);
  }

  async load(reset = true) {
    if (reset) {
      this.items = [];
      this.cursor = null;
      replace(this.list, h('li', { class: 'hint', text: t('common.loading') }));
    }
    try {
      const result = await staffApi('GET', '/agent/leave-messages', { query: { state: this.state, limit: 50, cursor: this.cursor || undefined } });
      this.items.push(...(result.items || []));
      this.cursor = result.next_cursor || null;
    } catch (e) {
      replace(this.list, h('li', { class: 'form-error', role: 'alert', text: e.display || String(e) }));
      return;
    }
    this.more.hidden = !this.cursor;
    this.render();
  }

  render() {
    if (!this.items.length) {
      replace(this.list, h('li', { class: 'empty', text: t('lm.empty') }));
      return;
    }
    replace(this.list, this.items.map((m) => h('li', { class: 'lm-item', dataset: { id: m.leave_message_id } },
      h('div', { class: 'lm-head' },
        h('strong', { text: m.name || t('wb.visitorShort', { id: String(m.visitor_id).slice(-6) }) }),
        h('span', { class: 'tag', text: m.channel }),
        h('time', { text: dateTime(m.created_at) })),
      h('p', { class: 'lm-text', text: m.description }),
      h('p', { class: 'lm-contact' },
        m.phone ? h('span', { text: t('leave.phone') + ': ' + m.phone }) : null, ' ',
        m.email ? h('span', { text: t('leave.email') + ': ' + m.email }) : null),
      (m.images || []).length ? h('div', { class: 'lm-images' }, m.images.map((ref) => imageView(ref, staffImage))) : null,
      m.note ? h('p', { class: 'hint', text: t('lm.note') + ': ' + m.note }) : null,
      h('div', { class: 'row-actions' },
        m.state === 'unclaimed' ? h('button', { type: 'button', class: 'btn', text: t('lm.claim'), onclick: () => this.act(m, 'claim') }) : null,
        m.state !== 'closed' ? h('button', { type: 'button', class: 'btn', text: t('lm.close'), onclick: () => this.act(m, 'close') }) : null))));
  }

  act(message, action) {
    const note = h('textarea', { id: 'lm-note', rows: 3, maxlength: 500 });
    openDialog({
      title: t('lm.' + action), id: 'lm-dialog',
      body: [h('p', { class: 'lm-text', text: message.description }), h('label', { for: note.id, text: t('lm.noteOptional') }), note],
      actions: [{ label: t('common.cancel') }, {
        label: t('lm.' + action), primary: true, id: 'lm-confirm',
        onClick: async () => {
          await staffApi('POST', '/agent/leave-messages/' + message.leave_message_id + '/' + action, { body: { note: note.value.trim() || undefined } });
          toast(t('lm.done'));
          await this.load(true);
        },
      }],
    });
  }
}

/** The lists in a dialog (workbench header button). */
export function leaveMessagesDialog() {
  const view = new LeaveMessages({ idPrefix: 'lmd' });
  openDialog({ title: t('nav.leave'), id: 'leave-messages-dialog', wide: true, body: [view.element], actions: [{ label: t('common.close') }], onClose: () => view.dispose() });
  view.load(true);
}
