// Entry of /admin: admin login, then the console with one page per section (hash routes).
import { h, replace } from '../dom.js';
import { t, applyLang, applyTitle, langSwitch } from '../i18n.js';
import { auth, loginView, logout } from '../staff.js';
import { SettingsPage } from './settings.js';
import { AccountsPage } from './accounts.js';
import { BlocksPage } from './blocks.js';
import { GroupsPage } from './groups.js';
import { ChannelsPage } from './channels.js';
import { KnowledgePage } from './knowledge.js';
import { UnknownQuestionsPage } from './unknown.js';
import { LexiconPage } from './lexicon.js';
import { RecordsPage } from './records.js';
import { ReportsPage } from './reports.js';
import { WebhooksPage } from './webhooks.js';
import { SummaryCategoriesPage } from './summaries.js';
import { QuickReplies } from '../quick-replies.js';
import { LeaveMessages } from '../leave-messages.js';

const SECTIONS = [
  ['human', () => new SettingsPage('human')],
  ['rating', () => new SettingsPage('rating')],
  ['session', () => new SettingsPage('session')],
  ['files', () => new SettingsPage('files')],
  ['accounts', () => new AccountsPage()],
  ['groups', () => new GroupsPage()],
  ['blocks', () => new BlocksPage()],
  ['channels', () => new ChannelsPage()],
  ['quick-replies', () => {
    const view = new QuickReplies({ library: 'public', mode: 'manage', idPrefix: 'pqr' });
    return { element: h('section', { class: 'page', id: 'page-quick-replies' }, h('h2', { text: t('admin.quick-replies') }), h('p', { class: 'hint', text: t('qr.publicHint') }), view.element), load: () => view.load(true) };
  }],
  ['knowledge', () => new KnowledgePage()],
  ['unknown', () => new UnknownQuestionsPage()],
  ['lexicon', () => new LexiconPage()],
  ['leave', () => {
    const view = new LeaveMessages({ idPrefix: 'alm' });
    return { element: h('section', { class: 'page', id: 'page-leave' }, h('h2', { text: t('nav.leave') }), view.element), load: () => view.load(true), dispose: () => view.dispose() };
  }],
  ['summaries', () => new SummaryCategoriesPage()],
  ['records', () => new RecordsPage()],
  ['reports', () => new ReportsPage()],
  ['webhooks', () => new WebhooksPage()],
];

applyLang();
applyTitle('admin.title');
const root = document.getElementById('app');
let page = null;

function navigate(main, links) {
  const name = (location.hash.replace(/^#\/?/, '') || 'human').split('?')[0];
  const entry = SECTIONS.find(([key]) => key === name) || SECTIONS[0];
  for (const link of links) {
    const on = link.dataset.section === entry[0];
    link.classList.toggle('active', on);
    if (on) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (page && page.dispose) page.dispose();
  page = entry[1]();
  replace(main, page.element);
  page.load();
  main.focus({ preventScroll: true });
}

async function main() {
  let account = auth() && auth().account;
  if (!account || account.role !== 'admin') {
    account = await loginView(root, { title: t('admin.title'), requireAdmin: true });
  }
  const links = SECTIONS.map(([key]) => h('a', { href: '#/' + key, class: 'nav-link', id: 'nav-' + key, dataset: { section: key }, text: t('admin.' + key) }));
  const mainArea = h('main', { class: 'admin-main', id: 'admin-main', tabindex: '-1' });
  replace(root, h('div', { class: 'admin' },
    h('header', { class: 'topbar' },
      h('h1', { text: t('admin.title') }),
      h('nav', { class: 'top-actions' },
        h('span', { class: 'hint', id: 'admin-user', text: account.display_name }),
        h('a', { class: 'btn', href: '/monitor', id: 'nav-monitor', text: t('nav.monitor') }),
        h('a', { class: 'btn', href: '/workbench', text: t('nav.workbench') }),
        langSwitch(),
        h('button', { type: 'button', class: 'btn', id: 'logout', text: t('login.logout'), onclick: async () => { await logout(); location.reload(); } }))),
    h('div', { class: 'admin-grid' },
      h('nav', { class: 'side-nav', 'aria-label': t('admin.menu') }, h('ul', {}, links.map((l) => h('li', {}, l)))),
      mainArea)));
  window.addEventListener('hashchange', () => navigate(mainArea, links));
  navigate(mainArea, links);
}

window.addEventListener('kefu:signed-out', () => location.reload(), { once: true });
main();
