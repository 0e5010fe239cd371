// The agent workbench (客服工作台): session list, message area and extension area, live over the agent
// socket; every session's events are merged by seq (history pages and live frames, no duplicates).
import { h, $, $$, randomId, replace } from '../dom.js';
import { t, langSwitch } from '../i18n.js';
import { staffApi, accessToken, logout } from '../staff.js';
import { LiveSocket } from '../socket.js';
import { duration } from '../format.js';
import { openDialog, confirmDialog, toast } from '../dialog.js';
import { imagePicker, messageInput, checkImage } from '../media.js';
import { filePicker, checkFile } from '../files.js';
import { transcriptRow, staffHistory, markFeedback } from '../transcript.js';
import { notify, setBaseTitle } from './notify.js';
import { Extension } from './extension.js';
import { leaveMessagesDialog } from '../leave-messages.js';
import { noteDialog, summaryDialog, pendingSummaries } from './summary.js';

export class Workbench {
  constructor(root, account) {
    this.root = root;
    this.account = account;
    this.me = { agent_id: account.agent_id, display_name: account.display_name, role: account.role, capacity: account.capacity };
    this.sessions = new Map();
    this.selected = null;
    this.names = new Map([[account.agent_id, account.display_name]]);
    this.queueLength = null;
    this.captureMode = false;
    this.capture = { question: null, answer: null };
  }

  name(id) {
    return (id && this.names.get(id)) || '';
  }

  // ---------- start ----------

  async start({ freshLogin }) {
    this.render();
    setBaseTitle(t('wb.title'));
    await this.loadMe();
    if (freshLogin || this.me.status === 'offline' || !this.me.status) await this.setStatus('online', true);
    this.loadNames();
    await this.loadSessions();
    this.refreshDue();
    this.connect();
    this.ticker = setInterval(() => this.tick(), 1000);
    window.addEventListener('kefu:signed-out', () => location.reload());
  }

  async loadMe() {
    try {
      const me = await staffApi('GET', '/agent/me');
      Object.assign(this.me, me);
      if (me.queue_length !== undefined) this.queueLength = me.queue_length;
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
    this.renderMe();
  }

  async loadNames() {
    try {
      const result = await staffApi('GET', '/agent/agents', { query: { online_only: false } });
      for (const agent of result.items || []) this.names.set(agent.agent_id, agent.name);
      if (this.selected) this.renderMessages();
    } catch {
      /* names fall back to 客服 */
    }
  }

  async loadSessions() {
    try {
      const result = await staffApi('GET', '/agent/sessions');
      for (const item of result.items || []) this.addSession(item, false);
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
    this.renderList();
  }

  connect() {
    this.socket = new LiveSocket({
      url: () => '/api/v1/agent/ws?token=' + encodeURIComponent(this.token || ''),
      beforeConnect: async (attempt) => {
        this.token = await accessToken(attempt > 0);
      },
      resumePoints: () => {
        const points = {};
        for (const s of this.sessions.values()) if (s.loaded && !s.ended) points[s.id] = s.lastSeq;
        return points;
      },
      onFrame: (frame) => this.onFrame(frame),
      onState: (state) => {
        this.connection.dataset.state = state;
        this.connection.textContent = state === 'open' ? t('wb.connected') : state === 'connecting' ? t('wb.connecting') : t('wb.disconnected');
      },
    });
    this.socket.start();
  }

  // ---------- layout ----------

  render() {
    this.connection = h('span', { class: 'connection', id: 'wb-connection', role: 'status' });
    this.statusButtons = {
      online: h('button', { type: 'button', class: 'seg', id: 'status-online', 'aria-pressed': 'false', text: t('status.online'), onclick: () => this.setStatus('online') }),
      stop_accepting: h('button', { type: 'button', class: 'seg', id: 'status-stop', 'aria-pressed': 'false', text: t('status.stop_accepting'), onclick: () => this.setStatus('stop_accepting') }),
    };
    this.meBox = h('section', { class: 'me', 'aria-label': t('wb.myStatus') },
      h('div', { class: 'me-name' }, h('strong', { id: 'me-name' }), h('span', { class: 'role', id: 'me-role' })),
      h('div', { class: 'segmented', role: 'group', 'aria-label': t('wb.myStatus') }, this.statusButtons.online, this.statusButtons.stop_accepting),
      h('dl', { class: 'stats' },
        h('div', {}, h('dt', { text: t('wb.waiting') }), h('dd', { id: 'queue-count', text: '-' })),
        h('div', {}, h('dt', { text: t('wb.capacity') }), h('dd', { id: 'me-capacity', text: '-' })),
        h('div', {}, h('dt', { text: t('wb.load') }), h('dd', { id: 'me-load', text: '-' }))));
    this.list = h('ul', { class: 'session-list', id: 'session-list', 'aria-label': t('wb.sessions') });
    this.emptyList = h('p', { class: 'empty', id: 'session-empty', text: t('wb.noSessions') });

    this.header = h('div', { class: 'conv-head', id: 'conv-head' });
    this.messages = h('ol', { class: 'messages', id: 'wb-messages', role: 'log', 'aria-live': 'polite', 'aria-label': t('wb.messages') });
    this.assist = h('section', { class: 'assist', id: 'assist-panel', 'aria-label': t('wb.assist'), hidden: true });
    // Whenever the list's box shrinks (the assist panel opens or grows, the window gets smaller) while the
    // agent was reading the newest messages, keep them in view.
    this.pinnedToBottom = true;
    this.messages.addEventListener('scroll', () => {
      this.pinnedToBottom = this.messages.scrollHeight - this.messages.scrollTop - this.messages.clientHeight < 24;
    });
    if (typeof ResizeObserver === 'function') {
      new ResizeObserver(() => {
        if (this.pinnedToBottom) this.messages.scrollTop = this.messages.scrollHeight;
      }).observe(this.messages);
    }
    this.input = messageInput({ id: 'wb-input', rows: 3, maxlength: 5000, placeholder: t('wb.inputHint'), 'aria-label': t('wb.input') }, {
      onSend: () => this.sendText(), onImage: (file) => this.sendImage(file),
    });
    this.input.addEventListener('input', () => this.signalTyping());
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.markRead(this.current()); });
    this.typingLine = h('p', { class: 'typing-line', id: 'wb-typing', 'aria-live': 'polite', hidden: true });
    const picker = imagePicker({ id: 'wb-image', label: t('wb.sendImage'), onFiles: (files) => files.forEach((f) => this.sendImage(f)) });
    const files = filePicker({ id: 'wb-file', label: t('wb.sendFile'), onFiles: (picked) => picked.forEach((f) => this.sendFile(f)) });
    this.tools = {
      assist: h('button', { type: 'button', class: 'btn', id: 'tool-assist', 'aria-pressed': 'true', text: t('wb.assist'), onclick: () => this.toggleAssist() }),
      transfer: h('button', { type: 'button', class: 'btn', id: 'tool-transfer', text: t('wb.transfer'), onclick: () => this.openTransfer() }),
      capture: h('button', { type: 'button', class: 'btn', id: 'tool-capture', 'aria-pressed': 'false', text: t('wb.capture'), onclick: () => this.toggleCapture() }),
      block: h('button', { type: 'button', class: 'btn danger', id: 'tool-block', text: t('wb.block'), onclick: () => this.openBlock() }),
      end: h('button', { type: 'button', class: 'btn danger', id: 'tool-end', text: t('wb.end'), onclick: () => this.endSelected() }),
      note: h('button', { type: 'button', class: 'btn', id: 'tool-note', text: t('note.tool'), onclick: () => this.current() && noteDialog(this.current()) }),
      summary: h('button', { type: 'button', class: 'btn', id: 'tool-summary', text: t('sum.tool'), onclick: () => this.openSummary(this.current()) }),
    };
    this.dueButton = h('button', { type: 'button', class: 'btn summary-due', id: 'summary-due', hidden: true, onclick: () => this.openDue() });
    this.captureBar = h('div', { class: 'capture-bar', id: 'capture-bar', hidden: true });
    this.composer = h('div', { class: 'composer' },
      h('div', { class: 'composer-tools', role: 'toolbar', 'aria-label': t('wb.tools') }, picker.button, picker.input, files.button, files.input, this.tools.assist, this.tools.transfer, this.tools.capture, this.tools.note, this.tools.summary, this.tools.block, this.tools.end),
      this.captureBar,
      h('div', { class: 'composer-row' }, this.input, h('button', { type: 'button', class: 'btn primary', id: 'wb-send', text: t('wb.send'), onclick: () => this.sendText() })));
    this.placeholder = h('div', { class: 'conv-empty', id: 'conv-empty' }, h('p', { text: t('wb.pick') }));
    this.conversation = h('div', { class: 'conversation', hidden: true }, this.header, this.messages, this.assist, this.composer);

    this.extension = new Extension(this);
    const top = h('header', { class: 'topbar' },
      h('h1', { text: t('wb.title') }),
      this.connection,
      h('nav', { class: 'top-actions' },
        this.dueButton,
        h('button', { type: 'button', class: 'btn', id: 'open-leave', text: t('nav.leave'), onclick: () => leaveMessagesDialog() }),
        this.me.role === 'admin' ? h('a', { class: 'btn', href: '/admin', text: t('nav.admin') }) : null,
        langSwitch(),
        h('button', { type: 'button', class: 'btn', id: 'logout', text: t('login.logout'), onclick: () => this.logout() })));
    replace(this.root, h('div', { class: 'wb' }, top,
      h('div', { class: 'wb-grid' },
        h('aside', { class: 'wb-left', 'aria-label': t('wb.sessions') }, this.meBox, h('h2', { class: 'pane-title', text: t('wb.current') }), this.list, this.emptyList),
        h('main', { class: 'wb-center', 'aria-label': t('wb.messages') }, this.placeholder, this.conversation),
        this.extension.element)));
  }

  renderMe() {
    $('#me-name', this.root).textContent = this.me.display_name || this.me.name || '';
    $('#me-role', this.root).textContent = t('role.' + (this.me.role || 'agent'));
    $('#me-capacity', this.root).textContent = this.me.capacity ?? '-';
    $('#me-load', this.root).textContent = this.me.load ?? this.openSessions().length;
    $('#queue-count', this.root).textContent = this.queueLength ?? '-';
    for (const [status, button] of Object.entries(this.statusButtons)) {
      const on = this.me.status === status;
      button.setAttribute('aria-pressed', String(on));
      button.classList.toggle('on', on);
    }
  }

  /** Reads the queue length (coalesces bursts of queue frames into one request). */
  refreshQueue() {
    if (this.queueTimer) return;
    this.queueTimer = setTimeout(async () => {
      this.queueTimer = null;
      try {
        const summary = await staffApi('GET', '/agent/queue');
        this.queueLength = summary.length;
        this.renderMe();
      } catch {
        /* keeps the last known number */
      }
    }, 150);
  }

  async setStatus(status, quiet = false) {
    try {
      await staffApi('PUT', '/agent/status', { body: { status } });
      this.me.status = status;
      this.renderMe();
    } catch (e) {
      if (!quiet) toast(e.display || String(e), 'error');
    }
  }

  async logout() {
    try {
      await staffApi('PUT', '/agent/status', { body: { status: 'offline' } });
    } catch {
      /* logging out anyway */
    }
    if (this.socket) this.socket.stop();
    await logout();
    location.reload();
  }

  // ---------- sessions ----------

  openSessions() {
    return Array.from(this.sessions.values()).filter((s) => !s.ended && !s.gone);
  }

  addSession(info, announce) {
    let session = this.sessions.get(info.session_id);
    if (!session) {
      session = {
        id: info.session_id, channel: info.channel, visitorId: info.visitor_id, attributes: info.attributes || {},
        items: new Map(), lastSeq: 0, unread: 0, suggestions: new Map(), loaded: false, ended: false, gone: false,
        assignedAt: info.assigned_at, waitingSince: null,
      };
      this.sessions.set(session.id, session);
      // A session that just arrived: store records the assignment a moment after the socket tells us,
      // and only then lets this agent read the history; give it that moment.
      if (announce) setTimeout(() => this.loadHistory(session), 600);
      else this.loadHistory(session);
      if (announce) notify(t('wb.newSession'));
    } else {
      if (info.attributes) session.attributes = { ...session.attributes, ...info.attributes };
      if (session.gone || session.ended) {
        session.gone = false;
        session.ended = false;
        session.transferredTo = null;
        setTimeout(() => this.loadHistory(session), announce ? 600 : 0);
        if (announce) notify(t('wb.newSession'));
      }
    }
    if (info.channel) session.channel = info.channel;
    if (info.visitor_id) session.visitorId = info.visitor_id;
    return session;
  }

  /**
   * Loads a session's whole history. Store may not have recorded the assignment or transfer that lets
   * this agent read it yet, so a refusal is retried a few times with a growing pause.
   */
  async loadHistory(session, attempt = 0) {
    try {
      const items = await staffHistory(session.id);
      for (const item of items) this.record(session, item, false);
      session.loaded = true;
      session.error = null;
      if (this.socket) this.socket.resume({ [session.id]: session.lastSeq });
    } catch (e) {
      session.error = e.display || String(e);
      if (attempt < 6 && !session.gone) {
        setTimeout(() => this.loadHistory(session, attempt + 1), 400 * 2 ** attempt);
        return;
      }
    }
    this.renderList();
    if (this.selected === session.id) {
      this.renderMessages();
      this.extension.show(session);
    }
  }

  /** Adds an event to a session; false when it was already there. */
  record(session, item, live) {
    if (!item.seq || session.items.has(item.seq)) return false;
    session.items.set(item.seq, item);
    session.lastSeq = Math.max(session.lastSeq, item.seq);
    const d = item.data || {};
    if (item.type === 'session.created' && d.attributes) session.attributes = { ...d.attributes, ...session.attributes };
    if (item.type === 'session.ended') session.ended = true;
    if (item.type === 'message.accepted' && d.sender === 'visitor' && live && (this.selected !== session.id || document.hidden)) {
      session.unread += 1;
      notify(t('wb.newMessage'));
    } else if (live && this.selected === session.id && !document.hidden) {
      this.markRead(session);
    }
    this.updateWaiting(session);
    return true;
  }

  updateWaiting(session) {
    const messages = Array.from(session.items.values()).filter((i) => i.type === 'message.accepted').sort((a, b) => a.seq - b.seq);
    const last = messages[messages.length - 1];
    session.waitingSince = null;
    if (last && last.data.sender === 'visitor' && !session.ended) {
      // Waiting since the first visitor message after the last answer.
      let first = last;
      for (let i = messages.length - 1; i >= 0 && messages[i].data.sender === 'visitor'; i -= 1) first = messages[i];
      session.waitingSince = first.time ? new Date(first.time).getTime() : Date.now();
    }
    const preview = last ? (last.data.text || (last.data.file ? t('file.alt') + ' ' + last.data.file.name : t('image.alt'))) : '';
    session.preview = preview;
  }

  visitorLabel(session) {
    const name = session.attributes && session.attributes.name;
    return name || t('wb.visitorShort', { id: String(session.visitorId || '').slice(-6) });
  }

  renderList() {
    const sessions = Array.from(this.sessions.values()).filter((s) => !s.gone);
    sessions.sort((a, b) => (a.ended - b.ended) || String(a.assignedAt || '').localeCompare(String(b.assignedAt || '')));
    const rows = sessions.map((s) => {
      const button = h('button', {
        type: 'button', class: 'session-item' + (s.id === this.selected ? ' selected' : '') + (s.ended ? ' ended' : ''),
        dataset: { session: s.id }, 'aria-current': s.id === this.selected ? 'true' : undefined,
        onclick: () => this.select(s.id),
      },
        h('span', { class: 'who' }, h('strong', { text: this.visitorLabel(s) }), h('span', { class: 'channel', text: t('channel.' + s.channel) === 'channel.' + s.channel ? s.channel : t('channel.' + s.channel) })),
        h('span', { class: 'preview', text: s.transferredTo ? t('wb.transferredAway', { name: s.transferredTo }) : s.ended ? t('wb.ended') : s.preview || '' }),
        h('span', { class: 'meta' },
          s.waitingSince ? h('span', { class: 'waiting', dataset: { since: String(s.waitingSince) }, text: t('wb.waitingFor', { time: duration((Date.now() - s.waitingSince) / 1000) }) }) : null,
          s.unread ? h('span', { class: 'unread', 'aria-label': t('wb.unread', { n: s.unread }), text: String(s.unread) }) : null));
      const li = h('li', { dataset: { session: s.id } }, button);
      if (s.ended) {
        li.append(h('button', {
          type: 'button', class: 'link dismiss', text: t('common.remove'), 'aria-label': t('wb.dismiss'),
          onclick: () => this.dismiss(s.id),
        }));
      }
      return li;
    });
    // Rebuilding the rows must not throw keyboard focus back to <body>: remember which row (and which of
    // its buttons) had it, and give it back, or to the row now at the same place when that one is gone.
    const active = document.activeElement;
    const focusedRow = active && this.list.contains(active) ? active.closest('li') : null;
    const focus = focusedRow ? {
      session: focusedRow.dataset.session,
      dismiss: active.classList.contains('dismiss'),
      index: Array.prototype.indexOf.call(this.list.children, focusedRow),
    } : null;
    replace(this.list, rows);
    if (focus) {
      const row = Array.from(this.list.children).find((li) => li.dataset.session === focus.session)
        || this.list.children[Math.min(focus.index, this.list.children.length - 1)];
      const target = row && ((focus.dismiss && row.querySelector('.dismiss')) || row.querySelector('.session-item'));
      if (target) target.focus({ preventScroll: true });
    }
    this.emptyList.hidden = rows.length > 0;
    if (this.me.load === undefined || this.me.load === null) $('#me-load', this.root).textContent = this.openSessions().length;
  }

  dismiss(id) {
    const session = this.sessions.get(id);
    if (!session) return;
    session.gone = true;
    if (this.selected === id) {
      this.selected = null;
      this.conversation.hidden = true;
      this.placeholder.hidden = false;
      this.extension.show(null);
    }
    this.renderList();
  }

  tick() {
    for (const el of $$('.waiting[data-since]', this.list)) {
      el.textContent = t('wb.waitingFor', { time: duration((Date.now() - Number(el.dataset.since)) / 1000) });
    }
  }

  select(id) {
    const session = this.sessions.get(id);
    if (!session) return;
    this.selected = id;
    session.unread = 0;
    this.captureMode = false;
    this.capture = { question: null, answer: null };
    this.placeholder.hidden = true;
    this.conversation.hidden = false;
    this.renderList();
    this.renderHeader();
    this.renderMessages();
    this.renderCapture();
    this.markRead(session);
    this.extension.show(session);
    this.input.focus();
  }

  current() {
    return this.selected ? this.sessions.get(this.selected) : null;
  }

  renderHeader() {
    const s = this.current();
    if (!s) return;
    replace(this.header,
      h('h2', { id: 'conv-title', text: this.visitorLabel(s) }),
      h('span', { class: 'tag', text: t('channel.' + s.channel) === 'channel.' + s.channel ? s.channel : t('channel.' + s.channel) }),
      s.ended ? h('span', { class: 'tag ended', id: 'conv-ended', text: s.transferredTo ? t('wb.transferredAway', { name: s.transferredTo }) : t('wb.ended') }) : null,
      this.typingLine);
    this.showTyping();
    const disabled = s.ended;
    for (const key of ['transfer', 'block', 'end']) this.tools[key].disabled = disabled;
    this.input.disabled = disabled;
    $('#wb-send', this.root).disabled = disabled;
    $('#wb-image', this.root).disabled = disabled;
    $('#wb-file', this.root).disabled = disabled;
  }

  renderMessages() {
    const s = this.current();
    if (!s) return;
    const items = Array.from(s.items.values()).sort((a, b) => a.seq - b.seq);
    const rows = [];
    for (const item of items) {
      const row = transcriptRow(item, { names: (id) => this.name(id), me: this.me.agent_id });
      if (!row) continue;
      if (item.type === 'message.accepted') this.decorate(row, item, s);
      rows.push(row);
    }
    markFeedback(rows);
    if (!s.loaded && !rows.length) rows.push(h('li', { class: 'line system' }, h('span', { text: s.error || t('common.loading') })));
    for (const pending of s.pending || []) rows.push(this.pendingRow(pending));
    replace(this.messages, rows);
    // The smart-assist panel takes its height from the message list: lay it out first, then scroll, so
    // the newest message is not left below the fold behind it.
    this.renderAssist();
    this.messages.scrollTop = this.messages.scrollHeight;
  }

  /** Adds the capture checkbox, the smart-assist link and, on the agent's own messages, 已读/未读. */
  decorate(row, item, session) {
    const sender = item.data.sender;
    if (sender === 'agent' && item.data.agent_id === this.me.agent_id && session.visitorRead !== undefined) {
      const read = item.seq <= session.visitorRead;
      row.querySelector('.msg-meta').append(h('span', { class: 'read-mark' + (read ? ' read' : ''), text: t(read ? 'wb.readMark' : 'wb.unreadMark') }));
    }
    if (this.captureMode && item.data.text && sender !== 'system') {
      const role = sender === 'visitor' ? 'question' : 'answer';
      const box = h('input', {
        type: 'checkbox', class: 'capture-pick', id: 'capture-' + item.seq, checked: this.capture[role] === item.seq,
        'aria-label': t(role === 'question' ? 'wb.pickQuestion' : 'wb.pickAnswer'),
        onchange: () => {
          this.capture[role] = box.checked ? item.seq : null;
          this.renderMessages();
          this.renderCapture();
        },
      });
      row.prepend(h('label', { class: 'capture-label', for: box.id }, box, h('span', { text: t(role === 'question' ? 'wb.question' : 'wb.answer') })));
    }
    if (sender === 'visitor' && session.suggestions.has(item.seq)) {
      row.append(h('button', {
        type: 'button', class: 'link assist-link', text: t('wb.showAssist'),
        onclick: () => {
          this.assistSeq = item.seq;
          this.assistHidden = false;
          this.renderAssist();
        },
      }));
    }
  }

  // ---------- typing and read marks ----------

  /** Tells the visitor the agent has seen the session up to its last event (once per new seq). */
  markRead(session) {
    if (!session || session.ended || !this.socket || !session.lastSeq || session.sentRead >= session.lastSeq) return;
    session.sentRead = session.lastSeq;
    this.socket.send({ type: 'read', session_id: session.id, seq: session.lastSeq });
  }

  /** The visitor's read mark for one of the agent's sessions. */
  noteVisitorRead(frame) {
    const s = this.sessions.get(frame.session_id);
    if (!s || !(frame.seq > (s.visitorRead || 0))) return;
    s.visitorRead = frame.seq;
    if (this.selected === s.id) this.renderMessages();
  }

  /** Tells the visitor the agent is typing, at most once a second (a burst ends with one more signal). */
  signalTyping() {
    const s = this.current();
    if (!s || s.ended || !this.socket) return;
    const wait = 1000 - (Date.now() - (this.typingSentAt || 0));
    if (wait > 0) {
      if (!this.typingTrailer) this.typingTrailer = setTimeout(() => { this.typingTrailer = null; this.signalTyping(); }, wait);
      return;
    }
    this.typingSentAt = Date.now();
    this.socket.send({ type: 'typing', session_id: s.id });
  }

  /** A visitor typing signal: remembered per session for three seconds, shown for the open one. */
  noteVisitorTyping(frame) {
    const s = this.sessions.get(frame.session_id);
    if (!s) return;
    s.typing = { preview: frame.preview || '', until: Date.now() + 3000 };
    clearTimeout(s.typingTimer);
    s.typingTimer = setTimeout(() => {
      s.typing = null;
      if (this.selected === s.id) this.showTyping();
    }, 3000);
    if (this.selected === s.id) this.showTyping();
  }

  showTyping() {
    const s = this.current();
    const typing = s && s.typing && s.typing.until > Date.now() ? s.typing : null;
    this.typingLine.hidden = !typing;
    this.typingLine.textContent = typing
      ? (typing.preview ? t('wb.visitorTypingPreview', { preview: typing.preview }) : t('wb.visitorTyping'))
      : '';
  }

  // ---------- socket frames ----------

  onFrame(frame) {
    if (frame.type === 'typing') {
      if (frame.from === 'visitor') this.noteVisitorTyping(frame);
      return;
    }
    if (frame.type === 'read') {
      if (frame.from === 'visitor') this.noteVisitorRead(frame);
      return;
    }
    if (frame.type === 'hello') {
      for (const item of frame.sessions || []) this.addSession(item, false);
      this.renderList();
      return;
    }
    if (frame.type === 'queue') {
      // The frame says the queue changed; it carries the numbers when the gateway could read them.
      if (frame.length !== undefined) {
        this.queueLength = frame.length;
        this.renderMe();
      } else {
        this.refreshQueue();
      }
      return;
    }
    if (frame.type === 'gap') {
      const s = this.sessions.get(frame.session_id);
      if (s) this.loadHistory(s);
      return;
    }
    if (frame.type !== 'event') return;
    const d = frame.data || {};
    const type = frame.event;
    const mine = this.me.agent_id;
    if (type === 'agent.updated') {
      if (d.agent_id === mine) {
        Object.assign(this.me, { status: d.status, capacity: d.capacity, load: d.load, present: d.present });
        this.renderMe();
      }
      if (d.agent_id && d.name) this.names.set(d.agent_id, d.name);
      return;
    }
    if (type === 'leave_message.updated') {
      window.dispatchEvent(new CustomEvent('kefu:leave-message', { detail: d }));
      if (d.state === 'unclaimed') notify(t('wb.newLeaveMessage'));
      return;
    }
    if (type === 'assist.suggested') {
      const s = this.sessions.get(d.session_id);
      if (s) {
        s.suggestions.set(d.question_seq, d.suggestions || []);
        if (this.selected === s.id) {
          this.assistSeq = null;
          this.renderMessages();
        }
      }
      return;
    }
    const sid = frame.session_id || d.session_id;
    if (!sid) return;
    let session = this.sessions.get(sid);
    if (type === 'session.assigned' && d.agent_id === mine) {
      if (d.agent_name) this.names.set(d.agent_id, d.agent_name);
      session = this.addSession({ session_id: sid, channel: d.channel, visitor_id: d.visitor_id, assigned_at: frame.time }, true);
    } else if (type === 'session.transferred' && d.to_agent_id === mine) {
      session = this.addSession({ session_id: sid, channel: d.channel, visitor_id: d.visitor_id, assigned_at: frame.time }, true);
    }
    if (type === 'session.transferred' && d.to_agent_name) this.names.set(d.to_agent_id, d.to_agent_name);
    if (type === 'session.assigned' && d.agent_name) this.names.set(d.agent_id, d.agent_name);
    if (!session) return;
    const fresh = this.record(session, { seq: frame.seq || d.seq, type, time: frame.time, data: d }, true);
    if (!fresh) return;
    if (type === 'message.accepted' && d.sender === 'agent' && d.agent_id === mine && d.client_message_id && session.pending) {
      session.pending = session.pending.filter((p) => p.client_message_id !== d.client_message_id);
    }
    if (type === 'session.transferred' && d.from_agent_id === mine && d.to_agent_id !== mine) {
      session.ended = true;
      session.transferredTo = d.to_agent_name || this.name(d.to_agent_id);
    }
    this.renderList();
    if (this.selected === sid) {
      this.renderHeader();
      this.renderMessages();
    }
    if (type === 'session.ended' || type === 'session.transferred') this.extension.refreshIf(sid);
    if (type === 'session.ended' && d.agent_id === mine) this.refreshDue(sid);
  }

  // ---------- 会话小结 ----------

  /**
   * Reads the summaries this agent still owes and shows their count. `justEnded`: a session of this agent
   * that has just ended — when its summary is due and it is on screen, the form opens at once.
   */
  async refreshDue(justEnded) {
    this.due = await pendingSummaries();
    this.dueButton.hidden = !this.due.length;
    this.dueButton.textContent = t('sum.due', { n: this.due.length });
    if (justEnded && this.selected === justEnded && this.due.some((d) => d.session_id === justEnded)) {
      this.openSummary(this.sessions.get(justEnded));
    }
  }

  /** Opens the form for the oldest summary due, selecting its session when it is still in the list. */
  openDue() {
    const first = (this.due || [])[0];
    if (!first) return;
    if (this.sessions.has(first.session_id)) this.select(first.session_id);
    this.openSummary(this.sessions.get(first.session_id) || { id: first.session_id });
  }

  openSummary(session) {
    if (!session) return;
    const required = (this.due || []).some((d) => d.session_id === session.id);
    summaryDialog(session, { required, onSaved: () => this.refreshDue() });
  }

  // ---------- sending ----------

  sendText(text) {
    const s = this.current();
    const value = (text !== undefined ? text : this.input.value).trim();
    if (!s || !value || s.ended) return;
    if (text === undefined) this.input.value = '';
    this.send(s, { text: value });
  }

  async sendImage(file) {
    const s = this.current();
    if (!s || s.ended) return;
    const problem = checkImage(file);
    if (problem) {
      toast(problem, 'error');
      return;
    }
    try {
      const uploaded = await staffApi('POST', '/agent/images', { body: file, query: { session_id: s.id } });
      this.send(s, { image_id: uploaded.image_id });
    } catch (e) {
      toast(t('image.uploadFailed') + ' ' + (e.display || ''), 'error');
    }
  }

  async sendFile(file) {
    const s = this.current();
    if (!s || s.ended) return;
    const problem = checkFile(file, null);
    if (problem) {
      toast(problem, 'error');
      return;
    }
    try {
      const uploaded = await staffApi('POST', '/agent/files', { body: file, query: { session_id: s.id, name: file.name } });
      this.send(s, { file_id: uploaded.file_id });
    } catch (e) {
      toast(t('file.uploadFailed') + ' ' + (e.display || ''), 'error');
    }
  }

  send(session, content) {
    const pending = { client_message_id: randomId('a'), body: null, state: 'sending' };
    pending.body = { client_message_id: pending.client_message_id, ...content };
    session.pending = [...(session.pending || []), pending];
    this.deliver(session, pending);
  }

  async deliver(session, pending) {
    pending.state = 'sending';
    if (this.selected === session.id) this.renderMessages();
    try {
      const result = await staffApi('POST', '/agent/sessions/' + session.id + '/messages', { body: pending.body });
      pending.state = 'sent';
      if (result && result.seq && session.items.has(result.seq)) {
        session.pending = session.pending.filter((p) => p !== pending);
      }
    } catch (e) {
      pending.state = e.retryable || e.code === 'network' ? 'failed' : 'rejected';
      pending.error = e.display || String(e);
    }
    if (this.selected === session.id) this.renderMessages();
  }

  pendingRow(pending) {
    const s = this.current();
    const label = { sending: t('chat.sending'), sent: t('chat.sent'), failed: t('chat.failed'), rejected: t('chat.rejected') }[pending.state];
    return h('li', { class: 'msg agent mine pending ' + pending.state },
      h('div', { class: 'bubble' }, h('p', { class: 'msg-text', text: pending.body.text || (pending.body.file_id ? t('file.alt') : t('image.alt')) })),
      h('div', { class: 'msg-status' }, h('span', { text: label + (pending.error && pending.state !== 'sending' ? ' · ' + pending.error : '') }),
        pending.state === 'failed' || pending.state === 'rejected'
          ? h('button', { type: 'button', class: 'link retry', text: t('chat.retry'), onclick: () => this.deliver(s, pending) }) : null,
        pending.state === 'rejected'
          ? h('button', {
            type: 'button', class: 'link', text: t('common.delete'),
            onclick: () => {
              s.pending = s.pending.filter((p) => p !== pending);
              this.renderMessages();
            },
          }) : null));
  }

  /** Inserts text at the cursor of the input box. */
  insert(text) {
    const el = this.input;
    const start = el.selectionStart ?? el.value.length;
    const end = el.selectionEnd ?? el.value.length;
    el.value = el.value.slice(0, start) + text + el.value.slice(end);
    el.focus();
    el.selectionStart = el.selectionEnd = start + text.length;
  }

  // ---------- smart assist ----------

  toggleAssist() {
    this.assistHidden = !this.assistHidden;
    this.tools.assist.setAttribute('aria-pressed', String(!this.assistHidden));
    this.renderAssist();
  }

  renderAssist() {
    const s = this.current();
    if (!s || this.assistHidden) {
      this.assist.hidden = true;
      return;
    }
    const questions = Array.from(s.items.values())
      .filter((i) => i.type === 'message.accepted' && i.data.sender === 'visitor' && i.data.text)
      .sort((a, b) => a.seq - b.seq);
    const question = this.assistSeq ? s.items.get(this.assistSeq) : questions[questions.length - 1];
    if (!question || s.ended) {
      this.assist.hidden = true;
      return;
    }
    const suggestions = s.suggestions.get(question.seq);
    const body = [];
    body.push(h('h3', { text: t('wb.assistFor') }), h('p', { class: 'assist-question', text: question.data.text }));
    if (!suggestions) {
      body.push(h('button', { type: 'button', class: 'btn', id: 'assist-fetch', text: t('wb.assistFetch'), onclick: () => this.fetchAssist(s, question) }));
    } else if (!suggestions.length) {
      body.push(h('p', { class: 'hint', text: t('wb.assistNone') }));
    } else {
      body.push(h('ol', { class: 'suggestions', id: 'assist-list' }, suggestions.map((sug, index) =>
        h('li', { class: 'suggestion' },
          h('button', {
            type: 'button', class: 'suggestion-text', id: 'assist-send-' + index, title: t('wb.assistSend'),
            onclick: () => this.sendText(sug.text),
          }, h('span', { class: 'sug-q', text: sug.question }), h('span', { class: 'sug-a', text: sug.text })),
          h('span', { class: 'sug-score', text: Math.round((sug.score || 0) * 100) + '%' }),
          h('button', { type: 'button', class: 'link', id: 'assist-edit-' + index, text: t('wb.assistEdit'), onclick: () => this.insert(sug.text) })))));
    }
    replace(this.assist, body);
    this.assist.hidden = false;
  }

  async fetchAssist(session, question) {
    try {
      const result = await staffApi('POST', '/agent/assist', { body: { text: question.data.text } });
      session.suggestions.set(question.seq, result.suggestions || []);
    } catch (e) {
      toast(e.display || String(e), 'error');
      return;
    }
    if (this.selected === session.id) this.renderMessages();
  }

  // ---------- transfer, capture, end ----------

  async openTransfer() {
    const s = this.current();
    if (!s || s.ended) return;
    const list = h('ul', { class: 'pick-list', id: 'transfer-agents', role: 'radiogroup', 'aria-label': t('wb.transferTo') },
      h('li', {}, h('span', { text: t('common.loading') })));
    const note = h('textarea', { id: 'transfer-note', rows: 2, maxlength: 500, placeholder: t('wb.transferNote'), 'aria-label': t('wb.transferNote') });
    let chosen = null;
    const dialog = openDialog({
      title: t('wb.transfer'), id: 'transfer-dialog',
      body: [h('p', { class: 'hint', text: t('wb.transferHint') }), list, note],
      actions: [
        { label: t('common.cancel') },
        {
          label: t('wb.transferDo'), primary: true, id: 'transfer-confirm',
          onClick: async () => {
            if (!chosen) throw new Error(t('wb.transferPick'));
            if (chosen.group) {
              await staffApi('POST', '/agent/sessions/' + s.id + '/transfer', { body: { to_group: chosen.group, note: note.value.trim() || undefined } });
              toast(t('wb.transferredToGroup', { name: chosen.name }));
              return;
            }
            await staffApi('POST', '/agent/sessions/' + s.id + '/transfer', { body: { to_agent_id: chosen, note: note.value.trim() || undefined } });
            toast(t('wb.transferred', { name: this.name(chosen) }));
          },
        },
      ],
    });
    try {
      const [result, queues] = await Promise.all([
        staffApi('GET', '/agent/agents', { query: { online_only: true } }),
        staffApi('GET', '/agent/groups').catch(() => ({ groups: [] })),
      ]);
      const agents = (result.items || []).filter((a) => a.agent_id !== this.me.agent_id);
      for (const a of agents) this.names.set(a.agent_id, a.name);
      // Skill groups (技能组): the session joins the group's queue and a member takes it.
      const groups = (queues.groups || []).filter((g) => g.group).map((g) => {
        const radio = h('input', {
          type: 'radio', name: 'transfer-agent', id: 'transfer-group-' + g.group, value: g.group,
          onchange: () => { chosen = { group: g.group, name: g.name }; },
        });
        return h('li', {}, h('label', { for: radio.id, class: 'pick group' }, radio,
          h('strong', { text: t('wb.groupOption', { name: g.name }) }),
          h('span', { class: 'load', text: t('wb.groupLoad', { waiting: g.waiting, online: g.agents_online }) })));
      });
      if (!agents.length) {
        replace(list, h('li', { class: 'empty', text: t('wb.noAgents') }), groups);
        return;
      }
      replace(list, groups, agents.map((a) => {
        const full = a.capacity !== undefined && a.load >= a.capacity;
        const radio = h('input', {
          type: 'radio', name: 'transfer-agent', id: 'transfer-' + a.agent_id, value: a.agent_id, disabled: full,
          onchange: () => { chosen = a.agent_id; },
        });
        return h('li', {}, h('label', { for: radio.id, class: 'pick' + (full ? ' full' : '') }, radio,
          h('strong', { text: a.name }),
          h('span', { class: 'load', text: t('wb.agentLoad', { load: a.load, capacity: a.capacity }) + (full ? ' · ' + t('wb.full') : '') })));
      }));
    } catch (e) {
      dialog.error(e.display || String(e));
    }
  }

  toggleCapture() {
    this.captureMode = !this.captureMode;
    this.capture = { question: null, answer: null };
    this.tools.capture.setAttribute('aria-pressed', String(this.captureMode));
    this.renderMessages();
    this.renderCapture();
  }

  renderCapture() {
    this.captureBar.hidden = !this.captureMode;
    this.tools.capture.setAttribute('aria-pressed', String(this.captureMode));
    if (!this.captureMode) return;
    const ready = this.capture.question && this.capture.answer;
    replace(this.captureBar,
      h('span', { text: t('wb.captureHint') }),
      h('button', { type: 'button', class: 'btn primary', id: 'capture-next', disabled: !ready, text: t('wb.captureNext'), onclick: () => this.openCapture() }),
      h('button', { type: 'button', class: 'btn', text: t('common.cancel'), onclick: () => this.toggleCapture() }));
  }

  openCapture() {
    const s = this.current();
    if (!s) return;
    const q = s.items.get(this.capture.question);
    const a = s.items.get(this.capture.answer);
    const question = h('textarea', { id: 'capture-question', rows: 2, maxlength: 500, value: q ? q.data.text : '' });
    const answer = h('textarea', { id: 'capture-answer', rows: 4, maxlength: 5000, value: a ? a.data.text : '' });
    openDialog({
      title: t('wb.capture'), id: 'capture-dialog',
      body: [
        h('p', { class: 'hint', text: t('wb.captureRule') }),
        h('label', { for: question.id, text: t('wb.question') }), question,
        h('label', { for: answer.id, text: t('wb.answer') }), answer,
      ],
      actions: [
        { label: t('common.cancel') },
        {
          label: t('common.save'), primary: true, id: 'capture-save',
          onClick: async () => {
            if (!question.value.trim() || !answer.value.trim()) throw new Error(t('wb.captureEmpty'));
            await staffApi('POST', '/agent/sessions/' + s.id + '/capture', { body: { question: question.value.trim(), answer: answer.value.trim() } });
            toast(t('wb.captured'));
            this.toggleCapture();
          },
        },
      ],
    });
  }

  openBlock() {
    const s = this.current();
    if (!s || s.ended) return;
    const reason = h('textarea', { id: 'block-reason', rows: 2, maxlength: 200, placeholder: t('wb.blockReasonHint'), 'aria-label': t('wb.blockReason') });
    const duration = h('select', { id: 'block-duration', 'aria-label': t('wb.blockDuration') },
      [[60, 'wb.block1h'], [1440, 'wb.block1d'], [10080, 'wb.block7d'], [43200, 'wb.block30d'], ['', 'wb.blockForever']]
        .map(([value, key]) => h('option', { value: String(value), text: t(key) })));
    duration.value = '1440';
    openDialog({
      title: t('wb.block'), id: 'block-dialog',
      body: [
        h('p', { class: 'hint', text: t('wb.blockHint') }),
        h('label', { for: reason.id, text: t('wb.blockReason') }), reason,
        h('label', { for: duration.id, text: t('wb.blockDuration') }), duration,
      ],
      actions: [
        { label: t('common.cancel') },
        {
          label: t('wb.blockDo'), primary: true, id: 'block-confirm',
          onClick: async () => {
            const text = reason.value.trim();
            if (!text) throw new Error(t('wb.blockReasonEmpty'));
            const minutes = duration.value ? Number(duration.value) : null;
            await staffApi('POST', '/agent/sessions/' + s.id + '/block', { body: { reason: text, duration_minutes: minutes } });
            toast(t('wb.blocked'));
          },
        },
      ],
    });
  }

  async endSelected() {
    const s = this.current();
    if (!s || s.ended) return;
    if (!(await confirmDialog(t('wb.endConfirm'), { okLabel: t('wb.end') }))) return;
    try {
      await staffApi('POST', '/agent/sessions/' + s.id + '/end');
    } catch (e) {
      toast(e.display || String(e), 'error');
    }
  }
}
