// 会话小结分类: the two-level tree of session-summary categories agents pick from when they summarize a
// session. Deleting keeps what was written (records show the names of the time).
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { openDialog, confirmDialog, toast } from '../dialog.js';

export class SummaryCategoriesPage {
  constructor() {
    this.element = h('section', { class: 'page', id: 'page-summaries' });
  }

  async load() {
    replace(this.element, h('h2', { text: t('admin.summaries') }), h('p', { class: 'hint', text: t('common.loading') }));
    let items;
    try {
      items = (await staffApi('GET', '/admin/summary-categories')).items || [];
    } catch (e) {
      replace(this.element, h('h2', { text: t('admin.summaries') }), h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }));
      return;
    }
    const row = (c, parent) => h('li', { class: 'sumcat', dataset: { category: c.category_id, name: c.name } },
      h('span', { class: 'sumcat-name', text: c.name }), ' ',
      parent ? null : h('button', { type: 'button', class: 'btn small sumcat-add-child', text: t('sumcat.addChild'), onclick: () => this.edit(null, c) }),
      h('button', { type: 'button', class: 'btn small sumcat-rename', text: t('sumcat.rename'), onclick: () => this.edit(c, parent) }),
      h('button', { type: 'button', class: 'btn small danger sumcat-delete', text: t('common.delete'), onclick: () => this.remove(c) }),
      parent ? null : h('ul', { class: 'sumcat-children' }, (c.children || []).map((k) => row(k, c))));
    replace(this.element,
      h('h2', { text: t('admin.summaries') }),
      h('p', { class: 'hint', text: t('sumcat.hint') }),
      h('div', { class: 'toolbar' }, h('button', { type: 'button', class: 'btn primary', id: 'sumcat-add', text: t('sumcat.add'), onclick: () => this.edit(null, null) })),
      items.length ? h('ul', { class: 'summary-tree', id: 'sumcat-tree' }, items.map((c) => row(c, null)))
        : h('p', { class: 'empty', id: 'sumcat-empty', text: t('sumcat.empty') }));
  }

  /** Creates (`category` null) or renames a category; `parent` is the first-level parent of a sub-category. */
  edit(category, parent) {
    const name = h('input', { id: 'sumcat-name', maxlength: 50, value: category ? category.name : '', 'aria-label': t('sumcat.name') });
    openDialog({
      title: category ? t('sumcat.rename') : parent ? t('sumcat.addChildOf', { name: parent.name }) : t('sumcat.add'), id: 'sumcat-dialog',
      body: [h('label', { for: name.id, text: t('sumcat.name') }), name],
      actions: [
        { label: t('common.cancel') },
        {
          label: t('common.save'), primary: true, id: 'sumcat-save',
          onClick: async () => {
            const value = name.value.trim();
            if (!value) throw new Error(t('sumcat.nameEmpty'));
            const body = { name: value, parent_id: parent ? parent.category_id : null, position: category ? category.position || 0 : 0 };
            if (category) await staffApi('PUT', '/admin/summary-categories/' + category.category_id, { body });
            else await staffApi('POST', '/admin/summary-categories', { body });
            toast(t('admin.saved'));
            await this.load();
          },
        },
      ],
    });
  }

  async remove(category) {
    if (!(await confirmDialog(t('sumcat.deleteConfirm', { name: category.name }), { okLabel: t('common.delete') }))) return;
    try {
      await staffApi('DELETE', '/admin/summary-categories/' + category.category_id);
      toast(t('sumcat.deleted'));
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
    await this.load();
  }
}
