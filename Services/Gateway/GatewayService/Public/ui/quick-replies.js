// Quick replies (快捷回复语料): the picker of the workbench (公共库 / 个人库, categories, keyword search,
// click to insert) and the library manager (personal library for agents, public library for admins).
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { staffApi } from './staff.js';
import { openDialog, confirmDialog, toast } from './dialog.js';

const categoryId = (c) => c.id ?? c.category_id;
const base = (library) => (library === 'public' ? '/admin' : '/agent');

/** Loads one library: `{ categories, items }`. */
async function loadLibrary(library) {
  if (library === 'public') {
    try {
      return await staffApi('GET', '/admin/quick-replies');
    } catch (e) {
      if (e.status !== 403) throw e;
    }
  }
  return staffApi('GET', '/agent/quick-replies', { query: { library } });
}

function matches(item, query) {
  if (!query) return true;
  const q = query.toLowerCase();
  return String(item.keyword || '').toLowerCase().includes(q) || String(item.content || '').toLowerCase().includes(q);
}

/**
 * mode 'use': the workbench picker with both libraries; `onPick(item)` gets the clicked reply.
 * mode 'manage': the manager of `library` ('public' or 'personal').
 */
export class QuickReplies {
  constructor({ library = 'personal', mode = 'use', onPick, idPrefix = 'qr' }) {
    this.mode = mode;
    this.library = mode === 'use' ? 'public' : library;
    this.onPick = onPick;
    this.prefix = idPrefix;
    this.data = {};
    this.category = '';
    this.query = '';
    this.element = h('div', { class: 'quick-replies ' + mode });
    this.loaded = false;
  }

  async load(force = false) {
    if (this.loaded && !force) return;
    this.loaded = true;
    replace(this.element, h('p', { class: 'hint', text: t('common.loading') }));
    try {
      if (this.mode === 'use') {
        const both = await staffApi('GET', '/agent/quick-replies');
        this.data.public = both.public || { categories: [], items: [] };
        this.data.personal = both.personal || { categories: [], items: [] };
      } else {
        this.data[this.library] = await loadLibrary(this.library);
      }
    } catch (e) {
      this.loaded = false;
      replace(this.element, h('p', { class: 'form-error', role: 'alert', text: e.display || String(e) }),
        h('button', { type: 'button', class: 'btn', text: t('common.retry'), onclick: () => this.load(true) }));
      return;
    }
    this.render();
  }

  lib() {
    return this.data[this.library] || { categories: [], items: [] };
  }

  visibleItems() {
    const { items = [] } = this.lib();
    return items
      .filter((i) => !this.category || String(i.category_id) === this.category)
      .filter((i) => matches(i, this.query))
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  }

  controls() {
    const { categories = [] } = this.lib();
    const select = h('select', {
      id: this.prefix + '-category', 'aria-label': t('qr.category'),
      onchange: () => { this.category = select.value; this.renderItems(); },
    }, h('option', { value: '', text: t('qr.allCategories') }),
      categories.map((c) => h('option', { value: String(categoryId(c)), text: c.name, selected: String(categoryId(c)) === this.category })));
    const search = h('input', {
      type: 'search', id: this.prefix + '-search', placeholder: t('qr.search'), 'aria-label': t('qr.search'), value: this.query,
      oninput: () => { this.query = search.value.trim(); this.renderItems(); },
    });
    return h('div', { class: 'qr-controls' }, select, search);
  }

  render() {
    const parts = [];
    if (this.mode === 'use') {
      const tab = (library) => h('button', {
        type: 'button', role: 'tab', id: this.prefix + '-tab-' + library, 'aria-selected': String(this.library === library),
        text: t('qr.' + library),
        onclick: () => { this.library = library; this.category = ''; this.render(); },
      });
      parts.push(h('div', { class: 'tabs small', role: 'tablist', 'aria-label': t('qr.title') }, tab('public'), tab('personal')));
    }
    parts.push(this.controls());
    this.listEl = h('ul', { class: 'qr-list', id: this.prefix + '-list' });
    parts.push(this.listEl);
    if (this.mode === 'use') {
      parts.push(h('button', { type: 'button', class: 'btn', id: this.prefix + '-manage', text: t('qr.managePersonal'), onclick: () => this.openManager() }));
    } else {
      parts.unshift(this.categoryEditor());
      parts.push(h('button', { type: 'button', class: 'btn primary', id: this.prefix + '-add', text: t('qr.add'), onclick: () => this.editItem(null) }));
    }
    replace(this.element, parts);
    this.renderItems();
  }

  renderItems() {
    if (!this.listEl) return;
    const items = this.visibleItems();
    const { categories = [] } = this.lib();
    const catName = (id) => (categories.find((c) => String(categoryId(c)) === String(id)) || {}).name || '';
    if (!items.length) {
      replace(this.listEl, h('li', { class: 'empty', text: t('qr.empty') }));
      return;
    }
    replace(this.listEl, items.map((item) => {
      if (this.mode === 'use') {
        return h('li', {}, h('button', {
          type: 'button', class: 'qr-item', dataset: { keyword: item.keyword || '' }, title: t('qr.insert'),
          onclick: () => this.onPick && this.onPick(item),
        }, h('strong', { text: item.keyword || '' }), h('span', { text: item.content || '' })));
      }
      return h('li', { class: 'qr-row', dataset: { id: String(item.id) } },
        h('div', { class: 'qr-text' }, h('strong', { text: item.keyword || '' }), catName(item.category_id) ? h('span', { class: 'tag', text: catName(item.category_id) }) : null, h('p', { text: item.content || '' })),
        h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'link', text: t('common.up'), disabled: !this.canMove(item, -1), onclick: () => this.move(item, -1) }),
          h('button', { type: 'button', class: 'link', text: t('common.down'), disabled: !this.canMove(item, 1), onclick: () => this.move(item, 1) }),
          h('button', { type: 'button', class: 'link', text: t('common.edit'), onclick: () => this.editItem(item) }),
          h('button', { type: 'button', class: 'link danger', text: t('common.delete'), onclick: () => this.deleteItem(item) })));
    }));
  }

  canMove(item, delta) {
    const { items = [] } = this.lib();
    const siblings = items
      .filter((i) => String(i.category_id ?? '') === String(item.category_id ?? ''))
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    const other = siblings.indexOf(item) + delta;
    return other >= 0 && other < siblings.length;
  }

  categoryEditor() {
    const { categories = [] } = this.lib();
    const name = h('input', { id: this.prefix + '-new-category', placeholder: t('qr.newCategory'), 'aria-label': t('qr.newCategory'), maxlength: 64 });
    return h('section', { class: 'qr-categories' },
      h('h3', { text: t('qr.categories') }),
      h('ul', { class: 'chips' }, categories.map((c) => h('li', { class: 'chip' },
        h('span', { text: c.name }),
        h('button', { type: 'button', class: 'link', text: t('common.rename'), onclick: () => this.renameCategory(c) }),
        h('button', { type: 'button', class: 'link danger', text: t('common.delete'), onclick: () => this.deleteCategory(c) })))),
      h('form', {
        class: 'inline-form',
        onsubmit: async (e) => {
          e.preventDefault();
          if (!name.value.trim()) return;
          await this.call('POST', '/quick-reply-categories', { name: name.value.trim() });
        },
      }, name, h('button', { type: 'submit', class: 'btn', id: this.prefix + '-add-category', text: t('qr.addCategory') })));
  }

  async call(method, path, body) {
    try {
      await staffApi(method, base(this.library) + path, { body });
      await this.load(true);
      return true;
    } catch (e) {
      toast(e.display || String(e), 'error');
      return false;
    }
  }

  renameCategory(c) {
    const name = h('input', { id: 'category-name', value: c.name, maxlength: 64 });
    openDialog({
      title: t('common.rename'), id: 'category-dialog', body: [h('label', { for: name.id, text: t('qr.categoryName') }), name],
      actions: [{ label: t('common.cancel') }, {
        label: t('common.save'), primary: true,
        onClick: async () => {
          await staffApi('PUT', base(this.library) + '/quick-reply-categories/' + categoryId(c), { body: { name: name.value.trim() } });
          await this.load(true);
        },
      }],
    });
  }

  async deleteCategory(c) {
    if (!(await confirmDialog(t('qr.deleteCategory', { name: c.name })))) return;
    await this.call('DELETE', '/quick-reply-categories/' + categoryId(c));
  }

  editItem(item) {
    const { categories = [] } = this.lib();
    const keyword = h('input', { id: 'qr-keyword', maxlength: 64, value: item ? item.keyword : '' });
    const content = h('textarea', { id: 'qr-content', rows: 4, maxlength: 5000, value: item ? item.content : '' });
    const category = h('select', { id: 'qr-item-category' }, h('option', { value: '', text: t('qr.noCategory') }),
      categories.map((c) => h('option', { value: String(categoryId(c)), text: c.name, selected: item && String(item.category_id) === String(categoryId(c)) })));
    openDialog({
      title: item ? t('qr.edit') : t('qr.add'), id: 'qr-dialog',
      body: [h('label', { for: keyword.id, text: t('qr.keyword') }), keyword, h('label', { for: content.id, text: t('qr.content') }), content,
        h('label', { for: category.id, text: t('qr.category') }), category],
      actions: [{ label: t('common.cancel') }, {
        label: t('common.save'), primary: true, id: 'qr-save',
        onClick: async () => {
          if (!keyword.value.trim() || !content.value.trim()) throw new Error(t('qr.needBoth'));
          const body = { keyword: keyword.value.trim(), content: content.value.trim() };
          if (category.value) body.category_id = category.value;
          if (item) await staffApi('PUT', base(this.library) + '/quick-replies/' + item.id, { body });
          else await staffApi('POST', base(this.library) + '/quick-replies', { body });
          await this.load(true);
        },
      }],
    });
  }

  async deleteItem(item) {
    if (!(await confirmDialog(t('qr.deleteItem', { keyword: item.keyword })))) return;
    await this.call('DELETE', '/quick-replies/' + item.id);
  }

  /** Moves a reply up or down among the replies of its own category (the order the server keeps). */
  async move(item, delta) {
    const { items = [] } = this.lib();
    const siblings = items
      .filter((i) => String(i.category_id ?? '') === String(item.category_id ?? ''))
      .sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
    const index = siblings.indexOf(item);
    const other = index + delta;
    if (other < 0 || other >= siblings.length) return;
    [siblings[index], siblings[other]] = [siblings[other], siblings[index]];
    await this.call('POST', '/quick-replies/reorder', { ids: siblings.map((i) => i.id), category_id: item.category_id || undefined });
  }

  /** The personal-library manager in a dialog (from the workbench picker). */
  openManager() {
    const manager = new QuickReplies({ library: 'personal', mode: 'manage', idPrefix: 'qrm' });
    openDialog({
      title: t('qr.managePersonal'), id: 'qr-manager', wide: true, body: [manager.element],
      actions: [{ label: t('common.close') }],
      onClose: () => this.load(true),
    });
    manager.load();
  }
}
