// The workbench's extension area: visitor information and quick replies.
import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { staffApi } from '../staff.js';
import { ApiError } from '../api.js';
import { dateTime } from '../format.js';
import { transcriptDialog } from '../transcript.js';
import { QuickReplies } from '../quick-replies.js';

const KNOWN = ['name', 'device', 'user_agent', 'page_url', 'locale'];

export class Extension {
  constructor(workbench) {
    this.wb = workbench;
    this.session = null;
    this.tab = 'visitor';
    this.visitorPane = h('section', { class: 'pane', id: 'pane-visitor', role: 'tabpanel', 'aria-labelledby': 'tab-visitor' });
    this.quick = new QuickReplies({
      library: 'personal', mode: 'use', onPick: (item) => this.wb.insert(item.content), idPrefix: 'qr',
    });
    this.quickPane = h('section', { class: 'pane', id: 'pane-quick', role: 'tabpanel', 'aria-labelledby': 'tab-quick', hidden: true }, this.quick.element);
    this.tabs = {
      visitor: h('button', { type: 'button', role: 'tab', id: 'tab-visitor', 'aria-controls': 'pane-visitor', 'aria-selected': 'true', text: t('wb.visitorInfo'), onclick: () => this.select('visitor') }),
      quick: h('button', { type: 'button', role: 'tab', id: 'tab-quick', 'aria-controls': 'pane-quick', 'aria-selected': 'false', text: t('qr.title'), onclick: () => this.select('quick') }),
    };
    const tablist = h('div', { class: 'tabs', role: 'tablist', 'aria-label': t('wb.extension') }, this.tabs.visitor, this.tabs.quick);
    tablist.addEventListener('keydown', (e) => {
      if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
        const next = this.tab === 'visitor' ? 'quick' : 'visitor';
        this.select(next);
        this.tabs[next].focus();
      }
    });
    this.element = h('aside', { class: 'wb-right', 'aria-label': t('wb.extension') }, tablist, this.visitorPane, this.quickPane);
    this.show(null);
  }

  select(tab) {
    this.tab = tab;
    for (const [name, button] of Object.entries(this.tabs)) {
      button.setAttribute('aria-selected', String(name === tab));
      button.tabIndex = name === tab ? 0 : -1;
    }
    this.visitorPane.hidden = tab !== 'visitor';
    this.quickPane.hidden = tab !== 'quick';
    if (tab === 'quick') this.quick.load();
  }

  refreshIf(sessionId) {
    if (this.session && this.session.id === sessionId) this.show(this.session);
  }

  /**
   * Shows the visitor of `session`. Only the latest call renders (a token, not the session object, tells
   * them apart, since a transfer refreshes the pane while the first load is in flight). Right after an
   * assignment or a transfer, store may refuse this agent for a moment: refusals and failures are retried
   * a few times, and the pane never stays on 加载中….
   */
  async show(session) {
    this.session = session;
    const token = (this.showToken = (this.showToken || 0) + 1);
    if (!session) {
      replace(this.visitorPane, h('p', { class: 'empty', text: t('wb.pick') }));
      return;
    }
    const attrs = session.attributes || {};
    const facts = h('dl', { class: 'facts', id: 'visitor-facts' },
      fact(t('wb.channel'), t('channel.' + session.channel) === 'channel.' + session.channel ? session.channel : t('channel.' + session.channel)),
      fact(t('wb.visitorId'), session.visitorId),
      attrs.name ? fact(t('wb.attr.name'), attrs.name) : null,
      fact(t('wb.attr.device'), attrs.device || '-'),
      fact(t('wb.attr.user_agent'), attrs.user_agent || '-'),
      attrs.page_url ? fact(t('wb.attr.page_url'), attrs.page_url) : null,
      attrs.locale ? fact(t('wb.attr.locale'), attrs.locale) : null,
      Object.entries(attrs).filter(([k]) => !KNOWN.includes(k)).map(([k, v]) => fact(k, v)));
    const firstSeen = h('dd', { id: 'visitor-first-seen', text: t('common.loading') });
    const previous = h('ul', { class: 'previous', id: 'visitor-previous' }, h('li', { text: t('common.loading') }));
    replace(this.visitorPane,
      h('h3', { text: t('wb.visitorInfo') }), facts,
      h('dl', { class: 'facts' }, h('div', {}, h('dt', { text: t('wb.firstSeen') }), firstSeen)),
      h('h3', { text: t('wb.previous') }), previous);
    try {
      let info;
      for (let attempt = 0; ; attempt += 1) {
        try {
          info = await staffApi('GET', '/agent/sessions/' + session.id + '/visitor');
          break;
        } catch (e) {
          if (token !== this.showToken) return;
          const transient = e instanceof ApiError && (e.retryable || e.status === 403 || e.status === 404);
          if (!transient || attempt >= 4) throw e;
          await new Promise((resolve) => setTimeout(resolve, 300 * 2 ** attempt));
          if (token !== this.showToken) return;
        }
      }
      if (token !== this.showToken) return;
      const sessions = (info.previous_sessions || []).slice().sort((a, b) => String(a.started_at).localeCompare(String(b.started_at)));
      const first = sessions.length ? sessions[0].started_at : info.session && info.session.created_at;
      firstSeen.textContent = dateTime(first) || '-';
      const others = sessions.filter((p) => p.session_id !== session.id).reverse();
      if (!others.length) {
        replace(previous, h('li', { class: 'empty', text: t('wb.noPrevious') }));
        return;
      }
      replace(previous, others.map((p) => h('li', {},
        h('button', {
          type: 'button', class: 'link previous-session', dataset: { session: p.session_id },
          onclick: () => transcriptDialog(p.session_id, { names: (id) => this.wb.name(id), me: this.wb.me.agent_id, title: t('wb.transcriptOf', { time: dateTime(p.started_at) }) }),
        }, h('span', { text: dateTime(p.started_at) }), ' ',
          h('span', { class: 'tag', text: p.human ? t('type.human') : t('type.bot') }), ' ',
          h('span', { class: 'hint', text: t('wb.messagesCount', { n: p.message_count ?? '-' }) })))));
    } catch (e) {
      if (token !== this.showToken) return;
      firstSeen.textContent = '-';
      replace(previous, h('li', { class: 'form-error', text: e.display || String(e) }));
    }
  }
}

function fact(label, value) {
  return h('div', {}, h('dt', { text: label }), h('dd', { text: value === undefined || value === null ? '-' : String(value) }));
}
