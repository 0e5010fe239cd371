// Entry of /monitor (监控): supervisors and admins watch every agent, one queue per skill group and today's
// counters, live from the events pushed over the staff WebSocket (one snapshot at load and after a reconnect,
// no polling), with charts that start with the last hour from the server; they open any session read-only,
// transfer it or end it.
import { h, replace } from '../dom.js';
import { t, applyLang, applyTitle, langSwitch } from '../i18n.js';
import { auth, loginView, logout, staffApi, accessToken } from '../staff.js';
import { LiveSocket } from '../socket.js';
import { duration, number } from '../format.js';
import { lineChart } from '../charts.js';
import { openDialog, confirmDialog, toast } from '../dialog.js';
import { transcriptDialog } from '../transcript.js';
import { MonitorModel, queueOrder } from './model.js';

const HISTORY_MINUTES = 60;
// Rows beyond which a list lets the browser skip rows out of view (content-visibility).
const LONG_LIST = 100;

export class MonitorPage {
  constructor(account) {
    this.account = account;
    this.model = new MonitorModel();
    this.agentRows = new Map();
    this.clocks = new Map();
    this.queueRows = new Map();
    /** Queue key ('' the default queue) → { section, body, length, longest, keys } of its part of the page. */
    this.groupViews = new Map();
    this.rowGroup = new Map();
    this.samples = [];
    this.timings = [];
    this.pending = false;
    this.clockOffset = 0;
    this.build();
  }

  now() {
    return Date.now() + this.clockOffset;
  }

  build() {
    this.counterBox = h('div', { class: 'stats-cards', id: 'mon-counters' });
    this.agentBody = h('div', { class: 'mon-list', id: 'mon-agents', role: 'list' });
    this.queueBody = h('div', { class: 'mon-groups', id: 'mon-queue' });
    this.queueTitle = h('h2', { id: 'mon-queue-title' });
    this.agentTitle = h('h2', { id: 'mon-agents-title' });
    this.liveState = h('span', { class: 'mon-live', id: 'mon-live', role: 'status', text: t('mon.connecting') });
    this.charts = h('div', { class: 'mon-charts', id: 'mon-charts' });
    const head = (keys) => h('div', { class: 'mon-row mon-head', 'aria-hidden': 'true' }, keys.map((k) => h('span', { text: t(k) })));
    this.element = h('main', { class: 'monitor-main', id: 'monitor' },
      h('div', { class: 'mon-top' }, this.liveState),
      this.counterBox,
      h('div', { class: 'monitor-grid' },
        h('section', { class: 'mon-agents', 'aria-labelledby': 'mon-agents-title' }, this.agentTitle,
          head(['mon.agent', 'mon.status', 'mon.load', 'mon.sessions', 'mon.longest']),
          h('div', { class: 'mon-scroll' }, this.agentBody)),
        h('section', { class: 'mon-queue', 'aria-labelledby': 'mon-queue-title' }, this.queueTitle,
          head(['mon.position', 'mon.visitor', 'mon.channel', 'mon.priority', 'mon.wait', 'common.actions']),
          h('div', { class: 'mon-scroll' }, this.queueBody))),
      this.charts);
  }

  async load() {
    const snapshot = await staffApi('GET', '/supervisor/monitor');
    if (snapshot.at) this.clockOffset = Date.parse(snapshot.at) - Date.now();
    this.model.load(snapshot);
    this.samples = this.model.history.slice(-HISTORY_MINUTES).map((p) => ({
      at: Date.parse(p.at), length: p.queued, longest: p.longest_wait, average: p.average_wait, serving: p.serving_agents,
    }));
    this.render();
    this.renderCharts();
  }

  start() {
    let first = true;
    this.socket = new LiveSocket({
      url: () => '/api/v1/agent/ws?monitor=1&token=' + encodeURIComponent(this.token),
      beforeConnect: async (attempt) => { this.token = await accessToken(attempt > 0); },
      resumePoints: () => ({}),
      onState: (state) => {
        this.liveState.textContent = t('mon.' + state);
        this.liveState.classList.toggle('open', state === 'open');
      },
      onFrame: (frame) => {
        if (frame.type === 'hello') {
          if (!first) this.load().catch(() => {});
          first = false;
        } else {
          this.handle(frame);
        }
      },
    });
    this.socket.start();
    this.ticker = setInterval(() => this.tick(), 1000);
    if (!this.samples.length) this.sample();
  }

  dispose() {
    if (this.socket) this.socket.stop();
    clearInterval(this.ticker);
  }

  /** One pushed frame: applied to the model at once, drawn with the others of the same animation frame. */
  handle(frame) {
    const started = performance.now();
    let changed = false;
    if (frame.type === 'event') changed = this.model.apply(frame);
    else if (frame.type === 'monitor.reply') changed = this.model.reply(frame);
    else if (frame.type === 'monitor.counters') {
      this.model.setCounters(frame.counters);
      changed = true;
    }
    if (!changed) return;
    if (this.batchStart === undefined) this.batchStart = started;
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      const from = this.batchStart;
      this.batchStart = undefined;
      this.render();
      void this.element.offsetHeight;
      this.timings.push(performance.now() - from);
      if (this.timings.length > 1000) this.timings.shift();
    });
  }

  render() {
    const changes = this.model.takeChanges();
    if (changes.all) {
      this.renderAgents();
      this.renderQueue();
      this.renderCounters();
    } else {
      for (const id of changes.agents) this.renderAgent(id);
      if (changes.queueRemoved.size || changes.queueAdded.size) this.patchQueue(changes.queueAdded, changes.queueRemoved);
      if (changes.counters) this.renderCounters();
    }
    this.renderTitles();
  }

  renderTitles() {
    this.agentBody.classList.toggle('long', this.model.agents.size > LONG_LIST);
    for (const view of this.groupViews.values()) view.body.classList.toggle('long', view.keys.length > LONG_LIST);
    const agents = [...this.model.agents.values()];
    const online = agents.filter((a) => a.status === 'online' && a.present).length;
    this.agentTitle.textContent = t('mon.agentsTitle', { online, total: agents.length });
    this.queueTitle.textContent = t('mon.queueTitle', { count: this.model.queue.size });
  }

  renderCounters() {
    const c = this.model.counters || {};
    const card = (key, value) => h('div', { class: 'stat', id: 'mon-c-' + key }, h('span', { class: 'stat-label', text: t('mon.c.' + key) }), h('strong', { text: value }));
    replace(this.counterBox,
      card('sessions', number(c.sessions ?? 0)), card('queued', number(c.queued ?? 0)), card('bot', number(c.bot ?? 0)),
      card('transferred', number(c.transferred ?? 0)),
      card('firstResponse', c.avg_first_response === undefined ? '-' : duration(c.avg_first_response)),
      card('rating', c.avg_rating === undefined ? '-' : number(c.avg_rating, 2)),
      card('waiting', number(this.model.queue.size)));
  }

  sortedAgents() {
    return [...this.model.agents.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.agent_id < b.agent_id ? -1 : 1));
  }

  renderAgents() {
    for (const row of this.agentRows.values()) this.clocks.delete(row);
    this.agentRows.clear();
    const rows = this.sortedAgents().map((agent) => {
      const row = h('div', { class: 'mon-row', role: 'listitem', dataset: { agent: agent.agent_id } });
      this.agentRows.set(agent.agent_id, row);
      this.fillAgent(row, agent);
      return row;
    });
    replace(this.agentBody, rows);
  }

  renderAgent(id) {
    const agent = this.model.agents.get(id);
    const row = this.agentRows.get(id);
    if (!agent) {
      if (row) {
        row.remove();
        this.clocks.delete(row);
      }
      this.agentRows.delete(id);
      return;
    }
    if (!row) return this.renderAgents();
    this.fillAgent(row, agent);
  }

  fillAgent(row, agent) {
    const sessions = [...agent.sessions.values()];
    const full = agent.load >= agent.capacity && agent.capacity > 0;
    const oldest = this.oldest(sessions);
    const longest = h('span', { class: 'mon-longest', text: this.since(oldest) });
    if (oldest) this.clocks.set(row, { cell: longest, at: Date.parse(oldest) });
    else this.clocks.delete(row);
    replace(row,
      h('span', { class: 'mon-name' }, agent.name,
        (agent.groups || []).length ? h('small', { class: 'mon-agent-groups', text: ' ' + agent.groups.map((g) => this.model.groupName(g)).join(t('common.listSep')) }) : null),
      h('span', {}, h('span', { class: 'mon-status ' + agent.status, text: t('status.' + agent.status) }),
        agent.present ? null : h('span', { class: 'mon-absent', text: ' ' + t('mon.absent') })),
      h('span', { class: 'mon-load' + (full ? ' mon-full' : ''), text: `${agent.load} / ${agent.capacity}` }),
      h('span', { class: 'mon-sessions' }, sessions.map((s) =>
        h('button', { type: 'button', class: 'mon-session', dataset: { session: s.session_id }, title: s.channel, text: s.visitor_id, onclick: () => this.openSession(s.session_id, s.visitor_id, agent.agent_id) }))),
      longest);
  }

  /** 最长等待: the earliest moment a visitor of these sessions began waiting for the agent's reply (null: none waits). */
  oldest(sessions) {
    let min = null;
    for (const s of sessions) if (s.waiting_since && (!min || Date.parse(s.waiting_since) < Date.parse(min))) min = s.waiting_since;
    return min;
  }

  since(iso) {
    return iso ? duration((this.now() - Date.parse(iso)) / 1000) : '-';
  }

  queueRow(v) {
    const wait = h('span', { class: 'mon-wait', text: this.since(v.enqueued_at) });
    const row = h('div', { class: 'mon-row', role: 'listitem', dataset: { session: v.session_id } },
      h('span', { class: 'mon-pos' }),
      h('span', { text: v.visitor_id }),
      h('span', { text: v.channel }),
      h('span', { text: String(v.priority) }),
      wait,
      h('span', {},
        h('button', { type: 'button', class: 'btn small mon-view', text: t('mon.view'), onclick: () => this.openSession(v.session_id, v.visitor_id, null) }),
        h('button', { type: 'button', class: 'btn small mon-end', text: t('mon.end'), onclick: () => this.endSession(v.session_id) })));
    this.clocks.set(row, { cell: wait, at: Date.parse(v.enqueued_at) });
    return row;
  }

  /** The part of the page of one queue (created in the snapshot's order, the default queue first). */
  groupView(key) {
    let view = this.groupViews.get(key);
    if (view) return view;
    const id = 'mon-group-title-' + (key || 'default');
    const length = h('span', { class: 'mon-group-length', text: '0' });
    const longest = h('span', { class: 'mon-group-longest', text: '-' });
    const body = h('div', { class: 'mon-list', role: 'list', 'aria-labelledby': id });
    const section = h('section', { class: 'mon-group', dataset: { group: key } },
      h('h3', { class: 'mon-group-title', id },
        h('span', { class: 'mon-group-name', text: key ? this.model.groupName(key) : t('mon.defaultQueue') }),
        h('span', { class: 'mon-group-facts' }, t('mon.groupLength'), ' ', length, ' · ', t('mon.groupLongest'), ' ', longest)),
      body);
    view = { section, body, length, longest, keys: [] };
    this.groupViews.set(key, view);
    return view;
  }

  /** Writes a queue's positions from `from` on (rows before it kept theirs), its length and longest wait. */
  numberQueue(view, from = 0) {
    for (let i = from; i < view.keys.length; i += 1) {
      const row = this.queueRows.get(view.keys[i].session_id);
      const cell = row && row.firstChild;
      const text = String(i + 1);
      if (cell && cell.textContent !== text) cell.textContent = text;
    }
    const count = String(view.keys.length);
    if (view.length.textContent !== count) view.length.textContent = count;
    this.groupClock(view, this.now());
  }

  /** The longest wait of one queue at `now` (the earliest enqueue time; not always the first row). */
  groupClock(view, now) {
    let earliest = Infinity;
    for (const v of view.keys) earliest = Math.min(earliest, Date.parse(v.enqueued_at));
    const text = view.keys.length ? duration((now - earliest) / 1000) : '-';
    if (view.longest.textContent !== text) view.longest.textContent = text;
  }

  renderQueue() {
    for (const row of this.queueRows.values()) this.clocks.delete(row);
    this.queueRows.clear();
    this.rowGroup.clear();
    this.groupViews.clear();
    for (const key of this.model.groups.keys()) this.groupView(key);
    const items = [...this.model.queue.values()].sort(queueOrder);
    for (const v of items) {
      const key = v.group || '';
      const view = this.groupView(key);
      const row = this.queueRow(v);
      view.body.append(row);
      view.keys.push(v);
      this.queueRows.set(v.session_id, row);
      this.rowGroup.set(v.session_id, key);
    }
    replace(this.queueBody, [...this.groupViews.values()].map((view) => view.section));
    for (const view of this.groupViews.values()) this.numberQueue(view);
  }

  /** Removes and inserts only the rows that changed, keeping the others in place. */
  patchQueue(added, removed) {
    const firsts = new Map();
    const touch = (key, index) => firsts.set(key, Math.min(firsts.has(key) ? firsts.get(key) : Infinity, index));
    const take = (id) => {
      const row = this.queueRows.get(id);
      if (row) {
        row.remove();
        this.clocks.delete(row);
      }
      this.queueRows.delete(id);
      const key = this.rowGroup.get(id);
      this.rowGroup.delete(id);
      if (key === undefined) return;
      const view = this.groupViews.get(key);
      const index = view ? view.keys.findIndex((x) => x.session_id === id) : -1;
      if (index >= 0) {
        view.keys.splice(index, 1);
        touch(key, index);
      }
    };
    for (const id of removed) take(id);
    for (const id of added) {
      const v = this.model.queue.get(id);
      if (!v) continue;
      if (this.queueRows.has(id)) take(id);
      const key = v.group || '';
      const fresh = !this.groupViews.has(key);
      const view = this.groupView(key);
      if (fresh) this.queueBody.append(view.section);
      let lo = 0;
      let hi = view.keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (queueOrder(view.keys[mid], v) < 0) lo = mid + 1;
        else hi = mid;
      }
      const row = this.queueRow(v);
      const before = view.keys[lo] ? this.queueRows.get(view.keys[lo].session_id) : null;
      view.body.insertBefore(row, before || null);
      view.keys.splice(lo, 0, v);
      this.queueRows.set(id, row);
      this.rowGroup.set(id, key);
      touch(key, lo);
    }
    for (const [key, first] of firsts) this.numberQueue(this.groupViews.get(key), first);
  }

  /** Every second: the waits move on; every minute: a chart sample. */
  tick() {
    const now = this.now();
    for (const [row, clock] of this.clocks) {
      if (!row.isConnected) {
        this.clocks.delete(row);
        continue;
      }
      const text = duration((now - clock.at) / 1000);
      if (clock.cell.textContent !== text) clock.cell.textContent = text;
    }
    for (const view of this.groupViews.values()) this.groupClock(view, now);
    const last = this.samples[this.samples.length - 1];
    if (!last || this.now() - last.at >= 60000) this.sample();
  }

  sample() {
    const waits = this.model.waits(this.now());
    const longest = waits.length ? Math.max(...waits) : 0;
    const average = waits.length ? waits.reduce((a, b) => a + b, 0) / waits.length : 0;
    let serving = 0;
    for (const agent of this.model.agents.values()) if (agent.sessions.size) serving += 1;
    this.samples.push({ at: this.now(), length: waits.length, longest, average, serving });
    while (this.samples.length > HISTORY_MINUTES) this.samples.shift();
    this.renderCharts();
  }

  renderCharts() {
    const labels = this.samples.map((s) => {
      const d = new Date(s.at);
      return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
    });
    replace(this.charts,
      h('figure', { class: 'chart-box', id: 'mon-chart-length', dataset: { points: String(this.samples.length) } },
        lineChart({ labels, title: t('mon.chartLength'), series: [{ name: t('mon.queueLength'), values: this.samples.map((s) => s.length) }] }),
        h('figcaption', { text: t('mon.chartHint') })),
      h('figure', { class: 'chart-box', id: 'mon-chart-wait' },
        lineChart({
          labels, title: t('mon.chartWait'), format: (v) => duration(v),
          series: [
            { name: t('mon.longestWait'), values: this.samples.map((s) => Math.round(s.longest)) },
            { name: t('mon.averageWait'), values: this.samples.map((s) => Math.round(s.average)) },
          ],
        }),
        h('figcaption', { text: t('mon.chartHint') })),
      h('figure', { class: 'chart-box', id: 'mon-chart-agents' },
        lineChart({ labels, title: t('mon.chartServing'), series: [{ name: t('mon.servingAgents'), values: this.samples.map((s) => s.serving ?? 0) }] }),
        h('figcaption', { text: t('mon.chartHint') })));
  }

  agentName(id) {
    const agent = this.model.agents.get(id);
    return agent ? agent.name : '';
  }

  /** The read-only transcript with the supervisor's actions. */
  openSession(sessionId, visitorId, agentId) {
    const actions = h('div', { class: 'mon-actions' },
      agentId ? h('button', { type: 'button', class: 'btn', id: 'mon-transfer', text: t('mon.transfer'), onclick: () => this.transfer(sessionId, agentId) }) : null,
      h('button', { type: 'button', class: 'btn', id: 'mon-note', text: t('mon.noteButton'), onclick: () => this.writeNote(sessionId) }),
      h('button', { type: 'button', class: 'btn danger', id: 'mon-end', text: t('mon.end'), onclick: () => this.endSession(sessionId) }),
      h('span', { class: 'hint', text: t('mon.readOnly') }));
    const title = t('mon.sessionTitle', { visitor: visitorId, agent: agentId ? this.agentName(agentId) : t('mon.inQueue') });
    this.dialog = transcriptDialog(sessionId, { title, names: (id) => this.agentName(id), extra: [actions] });
  }

  async closeSessionDialog() {
    const dialog = await this.dialog;
    if (dialog) dialog.close();
  }

  transfer(sessionId, fromAgentId) {
    const targets = this.sortedAgents().filter((a) => a.agent_id !== fromAgentId && a.status === 'online' && a.present && a.load < a.capacity);
    if (!targets.length) {
      toast(t('mon.noTarget'), 'error');
      return;
    }
    const select = h('select', { id: 'mon-transfer-to' }, targets.map((a) => h('option', { value: a.agent_id, text: `${a.name} (${a.load}/${a.capacity})` })));
    const note = h('textarea', { id: 'mon-transfer-note', maxlength: 500, rows: 3 });
    openDialog({
      title: t('mon.transfer'), id: 'mon-transfer-dialog',
      body: [h('label', { for: 'mon-transfer-to', text: t('mon.transferTo') }), select, h('label', { for: 'mon-transfer-note', text: t('mon.note') }), note],
      actions: [
        { label: t('common.cancel') },
        {
          label: t('mon.transfer'), primary: true, id: 'mon-transfer-ok',
          onClick: async () => {
            const body = { to_agent_id: select.value };
            if (note.value.trim()) body.note = note.value.trim();
            await staffApi('POST', `/supervisor/sessions/${sessionId}/transfer`, { body });
            toast(t('mon.transferred'));
            await this.closeSessionDialog();
          },
        },
      ],
    });
  }

  /** 内部备注: a note only staff see, written into the session from the monitor. */
  writeNote(sessionId) {
    const text = h('textarea', { id: 'mon-note-text', maxlength: 2000, rows: 4 });
    openDialog({
      title: t('mon.noteButton'), id: 'mon-note-dialog',
      body: [h('label', { for: 'mon-note-text', text: t('mon.noteText') }), text],
      actions: [
        { label: t('common.cancel') },
        {
          label: t('mon.noteSave'), primary: true, id: 'mon-note-ok',
          onClick: async () => {
            const body = { client_note_id: 'mon-' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8), text: text.value.trim() };
            await staffApi('POST', `/agent/sessions/${sessionId}/notes`, { body });
            toast(t('mon.noteAdded'));
          },
        },
      ],
    });
  }

  async endSession(sessionId) {
    if (!(await confirmDialog(t('mon.endConfirm'), { okLabel: t('mon.end') }))) return;
    try {
      await staffApi('POST', `/supervisor/sessions/${sessionId}/end`);
      toast(t('mon.ended'));
      await this.closeSessionDialog();
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }
}

async function main() {
  applyLang();
  applyTitle('mon.title');
  const root = document.getElementById('app');
  let account = auth() && auth().account;
  while (!account || !['admin', 'supervisor'].includes(account.role)) {
    if (account) {
      await logout();
      toast(t('mon.needSupervisor'), 'error');
    }
    account = await loginView(root, { title: t('mon.title') });
  }
  const page = new MonitorPage(account);
  window.kefuMonitor = page;
  replace(root, h('div', { class: 'monitor' },
    h('header', { class: 'topbar' },
      h('h1', { text: t('mon.title') }),
      h('nav', { class: 'top-actions' },
        h('span', { class: 'hint', id: 'monitor-user', text: account.display_name }),
        account.role === 'admin' ? h('a', { class: 'btn', href: '/admin', text: t('nav.admin') }) : null,
        langSwitch(),
        h('button', { type: 'button', class: 'btn', id: 'logout', text: t('login.logout'), onclick: async () => { await logout(); location.reload(); } }))),
    page.element));
  try {
    await page.load();
  } catch (e) {
    toast(e.display || String(e), 'error');
  }
  page.start();
}

window.addEventListener('kefu:signed-out', () => location.reload(), { once: true });
main();
