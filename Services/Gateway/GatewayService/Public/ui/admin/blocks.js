// 黑名单: visitor blocks — who blocked whom, why, until when; lift a block in force.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { confirmDialog, toast } from '../dialog.js';
import { dateTime } from '../format.js';

export class BlocksPage {
  constructor() {
    this.element = h('section', { class: 'page', id: 'page-blocks' });
    this.activeOnly = true;
  }

  async load() {
    replace(this.element, h('h2', { text: t('admin.blocks') }), h('p', { class: 'hint', text: t('common.loading') }));
    let items;
    try {
      items = (await staffApi('GET', '/admin/blocks', { query: { active: this.activeOnly, limit: 200 } })).items || [];
    } catch (e) {
      replace(this.element, h('h2', { text: t('admin.blocks') }), h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }));
      return;
    }
    const filter = h('input', {
      type: 'checkbox', id: 'blocks-active', checked: this.activeOnly,
      onchange: (event) => { this.activeOnly = event.currentTarget.checked; this.load(); },
    });
    const rows = items.map((b) => h('tr', { dataset: { block: b.block_id } },
      h('td', { text: b.channel }),
      h('td', { text: b.visitor_id }),
      h('td', { text: b.reason }),
      h('td', { text: b.blocked_by_name || b.blocked_by }),
      h('td', { text: dateTime(b.blocked_at) }),
      h('td', { text: b.until ? dateTime(b.until) : t('blk.forever') }),
      h('td', { text: b.active ? t('blk.active') : b.lifted_by ? t('blk.lifted', { time: dateTime(b.lifted_at) }) : t('blk.expired') }),
      h('td', { class: 'row-actions' }, b.active
        ? h('button', { type: 'button', class: 'btn small blk-lift', text: t('blk.lift'), onclick: () => this.lift(b) })
        : null)));
    replace(this.element,
      h('h2', { text: t('admin.blocks') }),
      h('p', { class: 'hint', text: t('blk.hint') }),
      h('label', { for: filter.id, class: 'inline' }, filter, ' ', t('blk.activeOnly')),
      items.length
        ? h('div', { class: 'table-wrap' }, h('table', { class: 'table', id: 'blocks-table' },
          h('thead', {}, h('tr', {}, ['blk.channel', 'blk.visitor', 'blk.reason', 'blk.by', 'blk.at', 'blk.until', 'blk.state', 'common.actions']
            .map((k) => h('th', { scope: 'col', text: t(k) })))),
          h('tbody', {}, rows)))
        : h('p', { class: 'empty', id: 'blocks-empty', text: t('blk.empty') }));
  }

  async lift(block) {
    if (!(await confirmDialog(t('blk.liftConfirm', { visitor: block.visitor_id }), { okLabel: t('blk.lift') }))) return;
    try {
      await staffApi('POST', '/admin/blocks/' + block.block_id + '/lift');
      toast(t('blk.liftDone'));
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
    await this.load();
  }
}
