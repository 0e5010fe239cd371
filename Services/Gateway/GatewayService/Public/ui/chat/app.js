// The visitor chat: bot and human conversation, queue, end, rating, leave-a-message, images; survives
// reloads and network drops (transcript and last seq per session in localStorage, socket resume, outbox
// re-sent with the same client_message_id).
import { api, ApiError } from '../api.js';
import { h, $, randomId, replace } from '../dom.js';
import { t, langSwitch, applyTitle } from '../i18n.js';
import { LiveSocket } from '../socket.js';
import { imagePicker, imageView, messageInput, checkImage } from '../media.js';
import { filePicker, fileCard, checkFile, applyPolicy } from '../files.js';
import { toast, confirmDialog } from '../dialog.js';
import { duration, shortTime } from '../format.js';
import { VisitorStore } from './store.js';
import { leaveMessageForm } from './leave-message.js';

const OPEN_STATES = ['bot', 'queued', 'assigned'];

/** Codes with which the gateway refuses a signed identity. */
const IDENTITY_REFUSALS = ['invalid_identity', 'identity_expired', 'identity_not_configured', 'invalid_priority'];

/** The visitor id a signed identity stands for (`u_` + its `sub`), read without checking it (the gateway does). */
function identifiedVisitor(identity) {
  try {
    const claims = identity.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const sub = JSON.parse(atob(claims)).sub;
    return typeof sub === 'string' ? 'u_' + sub : '';
  } catch (e) {
    return '';
  }
}

export class VisitorChat {
  constructor(root, { channel, embed, pageUrl, identity, group }) {
    this.root = root;
    this.channel = channel;
    this.group = group;
    this.embed = embed;
    this.pageUrl = pageUrl;
    /** The site's signed identity (see docs/integrations.md), sent when the session starts. */
    this.identity = identity || '';
    this.store = new VisitorStore(channel);
    const kept = this.store.visitorId || '';
    if (kept.startsWith('u_') && kept !== identifiedVisitor(this.identity)) this.store.forget();
    this.config = null;
    this.state = 'none';
    this.sessionId = this.store.current;
    this.agentNames = {};
    this.ratingCards = {};
    /** 有用 / 没用 per bot answer (`session:seq`): the bar under the answer and the feedback given. */
    this.feedbackBars = {};
    this.feedbackGiven = {};
    this.rendered = new Set();
    this.queue = null;
    this.lastEnd = null;
    this.socket = null;
    this.startAttempts = 0;
    /** Resolves once the visitor token is known (sends wait for it). */
    this.ready = new Promise((resolve) => { this.markReady = resolve; });
  }

  /** Builds the page and connects. */
  async start() {
    this.render();
    this.replayStore();
    this.renderOutbox();
    await this.openVisitorSession();
  }

  // ---------- layout ----------

  render() {
    this.statusLine = h('p', { class: 'chat-status', id: 'chat-status', 'aria-live': 'polite' });
    this.banner = h('div', { class: 'chat-banner', id: 'chat-banner', role: 'status', hidden: true });
    this.queueBox = h('section', { class: 'queue-box', id: 'queue-box', hidden: true, 'aria-live': 'polite', 'aria-label': t('chat.queueTitle') });
    this.list = h('ol', { class: 'messages', id: 'messages', role: 'log', 'aria-live': 'polite', 'aria-label': t('chat.messages') });
    this.input = messageInput({ id: 'chat-input', rows: 2, maxlength: 5000, placeholder: t('chat.placeholder'), 'aria-label': t('chat.placeholder') }, {
      onSend: () => this.sendText(), onImage: (file) => this.sendImage(file),
    });
    this.input.addEventListener('input', () => this.signalTyping());
    document.addEventListener('visibilitychange', () => { if (!document.hidden) this.markRead(); });
    const picker = imagePicker({ id: 'chat-image', onFiles: (files) => files.forEach((f) => this.sendImage(f)) });
    this.filePicker = filePicker({ id: 'chat-file', onFiles: (files) => files.forEach((f) => this.sendFile(f)) });
    this.humanButton = h('button', { type: 'button', class: 'btn', id: 'chat-human', text: t('chat.human'), onclick: () => this.requestHuman() });
    this.endButton = h('button', { type: 'button', class: 'btn', id: 'chat-end', text: t('chat.end'), onclick: () => this.endSession() });
    this.leaveButton = h('button', { type: 'button', class: 'btn', id: 'chat-leave', text: t('chat.leave'), onclick: () => this.openLeaveMessage() });
    const header = h('header', { class: 'chat-head' },
      h('div', { class: 'chat-title' }, h('h1', { text: t('chat.title') }), this.statusLine),
      h('div', { class: 'chat-head-actions' },
        langSwitch(),
        this.embed ? h('button', {
          type: 'button', class: 'btn icon', id: 'chat-close', 'aria-label': t('common.close'), title: t('common.close'), text: '✕',
          onclick: () => window.parent.postMessage({ type: 'kefu:close' }, '*'),
        }) : null));
    const composer = h('footer', { class: 'composer' },
      h('div', { class: 'composer-tools' }, picker.button, picker.input, this.filePicker.button, this.filePicker.input, this.humanButton, this.endButton, this.leaveButton),
      h('div', { class: 'composer-row' }, this.input,
        h('button', { type: 'button', class: 'btn primary', id: 'chat-send', text: t('chat.send'), onclick: () => this.sendText() })));
    replace(this.root, h('div', { class: 'chat' + (this.embed ? ' embedded' : '') }, header, this.banner, this.queueBox, this.list, composer));
    applyTitle('chat.title');
    this.updateControls();
  }

  updateControls() {
    const c = this.config || {};
    const open = OPEN_STATES.includes(this.state);
    this.humanButton.hidden = !(c.human_enabled && c.transfer_button) || this.state === 'queued' || this.state === 'assigned';
    this.endButton.hidden = !(c.end_button && open);
    const offered = this.lastEnd === 'no_service' || this.lastEnd === 'queue_timeout' || (this.config && this.config.open_now === false);
    this.leaveButton.hidden = !offered || open && this.state !== 'bot';
    const names = { none: 'chat.stateBot', bot: 'chat.stateBot', queued: 'chat.stateQueued', assigned: 'chat.stateAssigned', ended: 'chat.stateEnded' };
    const agent = this.currentAgent ? this.agentNames[this.currentAgent] : '';
    this.statusLine.textContent = this.agentTyping && this.state === 'assigned'
      ? t('chat.agentTyping', { name: agent || t('chat.agent') })
      : t(names[this.state] || 'chat.stateBot', { name: agent || t('chat.agent') });
    this.queueBox.hidden = this.state !== 'queued' || !this.queue;
    applyPolicy(this.filePicker, c.files);
  }

  showBanner(text) {
    this.banner.textContent = text || '';
    this.banner.hidden = !text;
  }

  scrollDown() {
    this.list.scrollTop = this.list.scrollHeight;
  }

  // ---------- session start and socket ----------

  attributes() {
    const mobile = this.channel === 'web-h5' || /Mobi|Android|iPhone|iPad/i.test(navigator.userAgent);
    const attrs = {
      user_agent: navigator.userAgent.slice(0, 1024),
      device: mobile ? 'mobile' : 'pc',
      locale: (navigator.language || 'zh-CN').slice(0, 32),
    };
    const page = this.pageUrl || (this.embed ? '' : location.href);
    if (page) attrs.page_url = page.slice(0, 1024);
    return attrs;
  }

  async openVisitorSession() {
    try {
      const result = await api('POST', '/visitor/sessions', {
        body: {
          channel: this.channel, token: this.store.token || undefined, attributes: this.attributes(),
          identity: this.identity || undefined,
        },
      });
      this.startAttempts = 0;
      this.store.token = result.token;
      this.store.visitorId = result.visitor_id;
      this.config = result.channel_config || null;
      if (result.routing_available === false) this.showBanner(t('chat.serviceDown'));
      else this.showBanner('');
      const current = result.session && result.session.session_id;
      if (current) {
        this.store.session(current);
        this.store.current = current;
        this.sessionId = current;
        if (this.state === 'none' || this.state === 'ended') this.state = result.session.state || 'bot';
        if (result.session.agent_id) this.currentAgent = result.session.agent_id;
      } else if (this.sessionId && OPEN_STATES.includes(this.state)) {
        // The kept session is over on the server; its end comes with the resume.
      }
      this.store.save(true);
      if (!this.list.children.length) this.welcome();
      this.updateControls();
      this.markReady();
      this.connect();
      this.flushOutbox();
    } catch (error) {
      if (this.identity && IDENTITY_REFUSALS.includes(error.code)) {
        // The site's identity is wrong or stale: chat anonymously rather than not at all.
        console.warn('Kefu: the visitor identity was refused (' + error.code + '): ' + error.message);
        this.identity = '';
        this.openVisitorSession();
        return;
      }
      this.startAttempts += 1;
      this.showBanner(t('chat.connecting'));
      const delay = Math.min(15000, 1000 * 2 ** Math.min(this.startAttempts, 4));
      setTimeout(() => this.openVisitorSession(), delay);
    }
  }

  /** Gets a fresh visitor token for the same visitor (after a 401). */
  async renewToken() {
    const result = await api('POST', '/visitor/sessions', { body: { channel: this.channel, token: this.store.token || undefined } });
    this.store.token = result.token;
    this.store.visitorId = result.visitor_id;
    this.store.save(true);
  }

  connect() {
    if (this.socket) return;
    this.socket = new LiveSocket({
      url: () => '/api/v1/visitor/ws?token=' + encodeURIComponent(this.store.token),
      resumePoints: () => this.store.resumePoints(),
      onFrame: (frame) => this.onFrame(frame),
      onState: (state) => {
        clearTimeout(this.bannerTimer);
        if (state === 'open') {
          this.showBanner('');
          this.flushOutbox();
        } else if (state === 'closed') {
          this.bannerTimer = setTimeout(() => this.showBanner(t('chat.offline')), 1200);
        }
      },
      beforeConnect: async (attempt) => {
        // After several failed attempts the token may have expired: renew it.
        if (attempt >= 3 && attempt % 3 === 0) await this.renewToken();
      },
    });
    this.socket.start();
  }

  /** Tells the serving agent the visitor is typing (with what the box holds), at most once a second; a
   * burst ends with one more signal carrying the latest text. */
  signalTyping() {
    if (this.state !== 'assigned' || !this.sessionId || !this.socket) return;
    const wait = 1000 - (Date.now() - (this.typingSentAt || 0));
    if (wait > 0) {
      if (!this.typingTrailer) this.typingTrailer = setTimeout(() => { this.typingTrailer = null; this.signalTyping(); }, wait);
      return;
    }
    this.typingSentAt = Date.now();
    this.socket.send({ type: 'typing', session_id: this.sessionId, preview: this.input.value.slice(0, 100) });
  }

  /** Tells the agent the visitor has seen the current session up to its last seq (once per new seq). */
  markRead() {
    if (this.state !== 'assigned' || !this.sessionId || !this.socket || document.hidden) return;
    const seq = this.store.resumePoints()[this.sessionId] || 0;
    if (!seq || (this.sentRead || 0) >= seq) return;
    this.sentRead = seq;
    this.socket.send({ type: 'read', session_id: this.sessionId, seq });
  }

  /** 已读/未读 on the visitor's own messages of a session the agent has marked. */
  renderReadMarks() {
    for (const row of this.list.querySelectorAll(':scope > li.msg.visitor[data-session]')) {
      const read = this.agentRead && this.agentRead[row.dataset.session];
      const mark = row.querySelector('.read-mark');
      if (!mark || read === undefined) continue;
      const seen = Number(row.dataset.seq) <= read;
      mark.hidden = false;
      mark.className = 'read-mark' + (seen ? ' read' : '');
      mark.textContent = t(seen ? 'chat.readMark' : 'chat.unreadMark');
    }
  }

  /** The agent is typing: shown in the status line for three seconds after the last signal. */
  showAgentTyping() {
    this.agentTyping = true;
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => {
      this.agentTyping = false;
      this.updateControls();
    }, 3000);
    this.updateControls();
  }

  onFrame(frame) {
    if (frame.type === 'typing') {
      if (frame.from === 'agent' && frame.session_id === this.sessionId) this.showAgentTyping();
    } else if (frame.type === 'read') {
      if (frame.from === 'agent') {
        this.agentRead = { ...(this.agentRead || {}), [frame.session_id]: Math.max(frame.seq, (this.agentRead || {})[frame.session_id] || 0) };
        this.renderReadMarks();
      }
    } else if (frame.type === 'event') {
      this.apply({ type: frame.event, seq: frame.seq, time: frame.time, data: frame.data || {} }, true);
    } else if (frame.type === 'gap') {
      this.fillGap(frame.session_id, frame.after_seq, frame.before_seq);
    }
  }

  async fillGap(sessionId, after, before) {
    try {
      const page = await api('GET', '/visitor/history', {
        token: this.store.token, query: { session_id: sessionId, after_seq: after, limit: 200, kinds: 'all' },
      });
      for (const item of page.items || []) if (item.seq < before) this.apply({ ...item, data: { ...item.data, session_id: sessionId } }, false);
    } catch {
      /* the transcript keeps a hole; the next reload fetches it again */
    }
  }

  replayStore() {
    for (const [id, session] of this.store.orderedSessions()) {
      for (const item of session.items) this.apply({ ...item, data: { ...item.data, session_id: id } }, false, true);
    }
  }

  // ---------- events ----------

  /** Applies one session event (live from the socket, or replayed from storage or history). */
  apply(item, live, replay = false) {
    const data = item.data || {};
    const sid = data.session_id;
    if (!sid) return;
    if (item.seq) {
      const key = sid + ':' + item.seq;
      if (this.rendered.has(key)) return;
      this.rendered.add(key);
      if (!replay) this.store.record(sid, { seq: item.seq, type: item.type, time: item.time, data: stripSession(data) });
    }
    const isCurrent = this.isCurrent(sid, item.type);
    switch (item.type) {
      case 'session.created':
        if (isCurrent && this.sessionId !== sid) {
          if (this.list.querySelector('.msg:not(.pending)')) this.line(item, t('chat.newSession'), 'divider');
          this.sessionId = sid;
          this.store.current = sid;
          this.state = 'bot';
          this.currentAgent = null;
          this.lastEnd = null;
          this.queue = null;
        } else if (isCurrent && this.state === 'none') {
          this.state = 'bot';
        }
        break;
      case 'message.accepted':
        this.message(item, live);
        break;
      case 'session.queued':
        if (isCurrent) this.state = 'queued';
        this.line(item, t('chat.queued'));
        break;
      case 'queue.position':
        if (isCurrent) {
          this.queue = data;
          if (this.state !== 'assigned' && this.state !== 'ended') this.state = 'queued';
          this.renderQueue();
        }
        break;
      case 'session.assigned':
        this.agentNames[data.agent_id] = data.agent_name;
        if (isCurrent) {
          this.state = 'assigned';
          this.currentAgent = data.agent_id;
          this.queue = null;
        }
        this.line(item, t('chat.assigned', { name: data.agent_name }));
        break;
      case 'session.transferred':
        this.agentNames[data.to_agent_id] = data.to_agent_name;
        if (isCurrent) this.currentAgent = data.to_agent_id;
        this.line(item, t('chat.transferred', { name: data.to_agent_name || t('chat.agent') }));
        break;
      case 'session.ended':
        if (isCurrent) {
          this.state = 'ended';
          this.queue = null;
          this.lastEnd = data.reason;
        }
        this.line(item, t('chat.ended.' + data.reason) === 'chat.ended.' + data.reason ? t('chat.ended.other') : t('chat.ended.' + data.reason));
        if (data.rating_invited) this.ratingCard(sid, item);
        if (live && isCurrent && (data.reason === 'no_service' || data.reason === 'queue_timeout')) this.openLeaveMessage();
        break;
      case 'rating.recorded':
        this.rated(sid, data.stars);
        break;
      case 'feedback.recorded':
        this.feedbackDone(sid + ':' + data.answer_seq, data.useful);
        break;
      default:
        break;
    }
    if (isCurrent) this.updateControls();
    if (live) this.scrollDown();
  }

  isCurrent(sid, type) {
    if (!this.sessionId || this.sessionId === sid) return true;
    // A newer session replaces the shown one when it is created.
    return type === 'session.created';
  }

  /** A transcript row placed by (session, seq) so late or resent events land where they belong. */
  place(row, item) {
    const sid = item.data.session_id;
    row.dataset.session = sid;
    row.dataset.seq = String(item.seq || 0);
    const opened = (this.store.sessions[sid] || {}).opened || Date.now();
    row.dataset.opened = String(opened);
    const rows = Array.from(this.list.querySelectorAll(':scope > li[data-seq]'));
    const after = rows.find((other) => {
      const otherOpened = Number(other.dataset.opened);
      if (other.dataset.session === sid) return Number(other.dataset.seq) > (item.seq || 0);
      return otherOpened > opened;
    });
    const pending = this.list.querySelector(':scope > li.pending');
    this.list.insertBefore(row, after || pending || null);
  }

  line(item, text, kind = 'system') {
    const row = h('li', { class: 'line ' + kind }, h('span', { text }));
    this.place(row, item);
    return row;
  }

  message(item, live) {
    const d = item.data;
    if (d.sender === 'visitor' && d.client_message_id) this.dropPending(d.client_message_id);
    if (d.sender === 'system') {
      this.line(item, d.text || '');
      return;
    }
    const who = d.sender === 'visitor' ? t('chat.me') : d.sender === 'bot' ? t('chat.bot') : this.agentNames[d.agent_id] || t('chat.agent');
    const body = d.image ? imageView(d.image, (id) => api('GET', '/visitor/images/' + id, { token: this.store.token, as: 'blob' }))
      : d.file ? fileCard(d.file, (id) => api('GET', '/visitor/files/' + id, { token: this.store.token, as: 'blob' }))
      : d.sender === 'bot' && Array.isArray(d.suggestions) && d.suggestions.length ? this.choices(d.suggestions)
      : d.sender === 'bot' && Array.isArray(d.group_choices) && d.group_choices.length ? this.groupMenu(d.group_choices)
        : h('p', { class: 'msg-text', text: d.text || '' });
    const row = h('li', { class: 'msg ' + d.sender, dataset: { seq: String(item.seq || ''), session: d.session_id || '' } },
      h('div', { class: 'msg-meta' }, h('span', { class: 'msg-who', text: who }), h('time', { text: shortTime(item.time) }),
        d.sender === 'visitor' ? h('span', { class: 'read-mark', hidden: true }) : null),
      h('div', { class: 'bubble' }, body),
      d.sender === 'bot' && d.entry_id && item.seq ? this.feedbackBar(d.session_id, item.seq) : null);
    this.place(row, item);
    if (d.sender === 'visitor') this.renderReadMarks();
    if (live && d.sender !== 'visitor' && (document.hidden || this.embed)) window.parent.postMessage({ type: 'kefu:unread' }, '*');
    if (live && d.sender === 'agent') this.markRead();
  }

  /** 猜你想问: the bot's choices as buttons; a click asks that question. */
  choices(suggestions) {
    return h('div', { class: 'choices' },
      h('p', { class: 'msg-text', text: t('chat.didYouMean') }),
      h('ul', { class: 'choice-list' }, ...suggestions.map((choice) => h('li', {},
        h('button', { type: 'button', class: 'choice', text: choice.question, onclick: () => this.enqueue({ text: choice.question }) })))));
  }

  /** The bot's group menu (技能组): one button per group; a click sends its name, which queues the visitor there. */
  groupMenu(choices) {
    return h('div', { class: 'choices group-menu' },
      h('p', { class: 'msg-text', text: t('chat.groupMenu') }),
      h('ul', { class: 'choice-list', role: 'group', 'aria-label': t('chat.groupMenuLabel') }, ...choices.map((choice) => h('li', {},
        h('button', { type: 'button', class: 'choice group-choice', dataset: { group: choice.group }, text: choice.name, onclick: () => this.enqueue({ text: choice.name }) })))));
  }

  /** 有用 / 没用 under a bot answer from the knowledge base; one click, once per answer. */
  feedbackBar(sid, seq) {
    const key = sid + ':' + seq;
    const error = h('span', { class: 'feedback-error', role: 'alert' });
    const send = async (useful) => {
      buttons.forEach((b) => { b.disabled = true; });
      error.textContent = '';
      try {
        await api('POST', '/visitor/feedback', { token: this.store.token, body: { session_id: sid, seq, useful } });
        this.feedbackDone(key, useful);
      } catch (e) {
        if (e instanceof ApiError && e.code === 'feedback_repeated') this.feedbackDone(key, null);
        else {
          error.textContent = e.display || String(e);
          buttons.forEach((b) => { b.disabled = false; });
        }
      }
    };
    const buttons = [true, false].map((useful) => h('button', {
      type: 'button', class: 'feedback-btn ' + (useful ? 'useful' : 'not-useful'), dataset: { useful: String(useful) },
      text: t(useful ? 'chat.useful' : 'chat.notUseful'), 'aria-pressed': 'false', onclick: () => send(useful),
    }));
    const bar = h('div', { class: 'feedback', role: 'group', 'aria-label': t('chat.feedback'), dataset: { answer: key } }, ...buttons, error);
    this.feedbackBars[key] = bar;
    if (key in this.feedbackGiven) this.showFeedback(bar, this.feedbackGiven[key]);
    return bar;
  }

  /** Feedback on an answer was taken (`useful` null: taken before, value unknown here). */
  feedbackDone(key, useful) {
    if (useful === null && key in this.feedbackGiven) useful = this.feedbackGiven[key];
    this.feedbackGiven[key] = useful;
    const bar = this.feedbackBars[key];
    if (bar) this.showFeedback(bar, useful);
  }

  showFeedback(bar, useful) {
    bar.classList.add('done');
    for (const b of bar.querySelectorAll('button')) {
      b.disabled = true;
      b.setAttribute('aria-pressed', String(useful !== null && b.dataset.useful === String(useful)));
    }
    const thanks = bar.querySelector('.feedback-thanks') || bar.appendChild(h('span', { class: 'feedback-thanks' }));
    thanks.textContent = t('chat.feedbackThanks');
  }

  welcome() {
    this.list.append(h('li', { class: 'line system welcome' }, h('span', { text: t('chat.welcome') })));
  }

  renderQueue() {
    const q = this.queue;
    if (!q) return;
    const facts = [t('chat.queuePosition', { position: q.position }), t('chat.queueAhead', { ahead: q.ahead })];
    if (q.eta_seconds !== undefined && q.eta_seconds !== null) facts.push(t('chat.queueEta', { eta: duration(q.eta_seconds) }));
    replace(this.queueBox,
      h('p', { class: 'queue-prompt', id: 'queue-prompt', text: q.prompt || '' }),
      h('p', { class: 'queue-facts', id: 'queue-facts' },
        h('span', { id: 'queue-position', dataset: { position: String(q.position) }, text: facts[0] }), ' · ',
        h('span', { id: 'queue-ahead', dataset: { ahead: String(q.ahead) }, text: facts[1] }),
        facts[2] ? ' · ' : null, facts[2] ? h('span', { id: 'queue-eta', text: facts[2] }) : null),
      h('button', { type: 'button', class: 'btn', id: 'queue-exit', text: t('chat.exitQueue'), onclick: () => this.exitQueue() }));
  }

  // ---------- rating ----------

  ratingCard(sid, item) {
    if (this.ratingCards[sid]) return;
    let stars = 0;
    const buttons = [1, 2, 3, 4, 5].map((n) =>
      h('button', {
        type: 'button', class: 'star', role: 'radio', 'aria-checked': 'false', dataset: { stars: String(n) },
        'aria-label': t('rating.stars', { n }), title: t('rating.stars', { n }), text: '★',
        onclick: () => select(n),
        onkeydown: (e) => {
          if (e.key === 'ArrowRight' || e.key === 'ArrowUp') { e.preventDefault(); select(Math.min(5, (stars || 0) + 1)); buttons[stars - 1].focus(); }
          if (e.key === 'ArrowLeft' || e.key === 'ArrowDown') { e.preventDefault(); select(Math.max(1, (stars || 2) - 1)); buttons[stars - 1].focus(); }
        },
      }));
    const select = (n) => {
      stars = n;
      buttons.forEach((b, i) => {
        b.classList.toggle('on', i < n);
        b.setAttribute('aria-checked', String(i === n - 1));
      });
      submit.disabled = false;
    };
    const comment = h('textarea', { id: 'rating-comment', rows: 2, maxlength: 500, placeholder: t('rating.comment'), 'aria-label': t('rating.comment') });
    const error = h('p', { class: 'form-error', role: 'alert' });
    const submit = h('button', {
      type: 'button', class: 'btn primary', id: 'rating-submit', text: t('rating.submit'), disabled: true,
      onclick: async () => {
        submit.disabled = true;
        error.textContent = '';
        try {
          await api('POST', '/visitor/rating', {
            token: this.store.token, body: { session_id: sid, stars, comment: comment.value.trim() || undefined },
          });
          this.rated(sid, stars);
        } catch (e) {
          if (e instanceof ApiError && e.code === 'rating_repeated') this.rated(sid, stars);
          else {
            error.textContent = e.display || String(e);
            submit.disabled = false;
          }
        }
      },
    });
    const card = h('li', { class: 'card rating-card', id: 'rating-card' },
      h('h2', { text: t('rating.title') }),
      h('div', { class: 'stars', role: 'radiogroup', 'aria-label': t('rating.title') }, buttons),
      comment, error, submit);
    card.dataset.stars = '0';
    this.place(card, { ...item, seq: item.seq + 0.5 });
    this.ratingCards[sid] = card;
  }

  rated(sid, stars) {
    const card = this.ratingCards[sid];
    const thanks = h('li', { class: 'line system rated', id: 'rating-done' }, h('span', { text: t('rating.thanks', { n: stars }) }));
    if (card) {
      thanks.dataset.session = card.dataset.session;
      thanks.dataset.seq = card.dataset.seq;
      thanks.dataset.opened = card.dataset.opened;
      card.replaceWith(thanks);
    }
    this.ratingCards[sid] = thanks;
  }

  // ---------- sending ----------

  sendText() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = '';
    this.enqueue({ text });
    this.input.focus();
  }

  async sendImage(file) {
    const problem = checkImage(file);
    if (problem) {
      toast(problem, 'error');
      return;
    }
    const placeholder = this.pendingRow({ client_message_id: 'upload', body: { text: t('image.uploading') }, state: 'sending' });
    try {
      await this.ready;
      const uploaded = await api('POST', '/visitor/images', {
        token: this.store.token, body: file, query: { session_id: OPEN_STATES.includes(this.state) ? this.sessionId : undefined },
      });
      placeholder.remove();
      this.enqueue({ image_id: uploaded.image_id });
    } catch (e) {
      placeholder.remove();
      toast(t('image.uploadFailed') + ' ' + (e.display || ''), 'error');
    }
  }

  /** Uploads a file to the open session (the gateway checks its size and type by content), then sends it. */
  async sendFile(file) {
    const problem = checkFile(file, this.config && this.config.files);
    if (problem) {
      toast(problem, 'error');
      return;
    }
    if (!OPEN_STATES.includes(this.state) || !this.sessionId) {
      toast(t('file.noSession'), 'error');
      return;
    }
    const placeholder = this.pendingRow({ client_message_id: 'upload', body: { text: t('file.uploading') }, state: 'sending' });
    try {
      await this.ready;
      const uploaded = await api('POST', '/visitor/files', {
        token: this.store.token, body: file, query: { session_id: this.sessionId, name: file.name },
      });
      placeholder.remove();
      this.enqueue({ file_id: uploaded.file_id });
    } catch (e) {
      placeholder.remove();
      toast(t('file.uploadFailed') + ' ' + (e.display || ''), 'error');
    }
  }

  enqueue(content) {
    const entry = {
      client_message_id: randomId('w'),
      body: { ...content, session_id: OPEN_STATES.includes(this.state) ? this.sessionId || undefined : undefined, attributes: this.attributes(), group: this.group },
      state: 'sending',
    };
    entry.body.client_message_id = entry.client_message_id;
    this.store.outbox.push(entry);
    this.store.save(true);
    this.renderOutbox();
    this.deliver(entry);
  }

  /** Sends one outbox entry; a failure leaves it for a retry with the same body and client_message_id. */
  async deliver(entry) {
    if (entry.inFlight) return;
    entry.inFlight = true;
    entry.state = 'sending';
    this.renderOutbox();
    try {
      await this.ready;
      let result;
      try {
        result = await api('POST', '/visitor/messages', { token: this.store.token, body: entry.body });
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 401) throw e;
        await this.renewToken();
        result = await api('POST', '/visitor/messages', { token: this.store.token, body: entry.body });
      }
      entry.state = 'sent';
      entry.seq = result && result.seq;
      entry.session_id = result && result.session_id;
      const sessionKey = entry.session_id && entry.seq ? entry.session_id + ':' + entry.seq : null;
      if (sessionKey && this.rendered.has(sessionKey)) this.dropPending(entry.client_message_id);
    } catch (e) {
      if (e instanceof ApiError && !e.retryable && e.code !== 'idempotency_conflict') {
        entry.state = 'rejected';
        entry.error = e.display;
      } else {
        entry.state = 'failed';
        entry.error = e.display || '';
      }
    } finally {
      entry.inFlight = false;
      this.store.save(true);
      this.renderOutbox();
    }
  }

  flushOutbox() {
    for (const entry of this.store.outbox) if (entry.state === 'failed' || entry.state === 'sending') this.deliver(entry);
  }

  dropPending(clientMessageId) {
    const before = this.store.outbox.length;
    this.store.outbox = this.store.outbox.filter((e) => e.client_message_id !== clientMessageId);
    if (this.store.outbox.length !== before) {
      this.store.save(true);
      this.renderOutbox();
    }
  }

  pendingRow(entry) {
    const status = {
      sending: t('chat.sending'), sent: t('chat.sent'), failed: t('chat.failed'), rejected: t('chat.rejected'),
    }[entry.state];
    const row = h('li', { class: 'msg visitor pending ' + entry.state, dataset: { clientId: entry.client_message_id } },
      h('div', { class: 'bubble' }, h('p', { class: 'msg-text', text: entry.body.text || (entry.body.file_id ? t('file.alt') : t('image.alt')) })),
      h('div', { class: 'msg-status' },
        h('span', { text: status + (entry.error && entry.state !== 'sending' ? ' · ' + entry.error : '') }),
        entry.state === 'failed' || entry.state === 'rejected'
          ? h('button', { type: 'button', class: 'link retry', text: t('chat.retry'), onclick: () => this.deliver(entry) })
          : null,
        entry.state === 'rejected'
          ? h('button', { type: 'button', class: 'link', text: t('common.delete'), onclick: () => this.dropPending(entry.client_message_id) })
          : null));
    this.list.append(row);
    return row;
  }

  renderOutbox() {
    for (const row of this.list.querySelectorAll(':scope > li.pending')) if (row.dataset.clientId !== 'upload') row.remove();
    for (const entry of this.store.outbox) this.pendingRow(entry);
    this.scrollDown();
  }

  // ---------- buttons ----------

  async action(path, button) {
    if (button) button.disabled = true;
    try {
      await this.ready;
      const group = path === '/visitor/request-human' ? this.group : undefined;
      return await api('POST', path, { token: this.store.token, body: { session_id: this.sessionId || undefined, group } });
    } catch (e) {
      toast(e.display || String(e), 'error');
      return null;
    } finally {
      if (button) button.disabled = false;
    }
  }

  requestHuman() {
    return this.action('/visitor/request-human', this.humanButton);
  }

  exitQueue() {
    return this.action('/visitor/exit-queue', $('#queue-exit', this.root));
  }

  /** The 结束会话 button: asks first, since ending cannot be undone (a new message opens a new session). */
  async endSession() {
    if (!(await confirmDialog(t('chat.endConfirm'), { okLabel: t('chat.end') }))) return;
    return this.action('/visitor/end', this.endButton);
  }

  openLeaveMessage() {
    if (document.getElementById('leave-dialog')) return;
    leaveMessageForm({
      token: () => this.store.token,
      sessionId: this.sessionId,
      onDone: () => {
        this.list.append(h('li', { class: 'line system', id: 'leave-done' }, h('span', { text: t('leave.done') })));
        this.scrollDown();
      },
    });
  }
}

function stripSession(data) {
  const copy = { ...data };
  delete copy.session_id;
  return copy;
}
