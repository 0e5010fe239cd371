// What the visitor widget keeps in localStorage per channel: the visitor token, the transcript of the
// last sessions with the last seq handled in each, and messages not yet accepted (the outbox).
import { loadJSON, saveJSON } from '../dom.js';

const MAX_SESSIONS = 3;
const MAX_ITEMS = 400;

export class VisitorStore {
  constructor(channel) {
    this.key = 'kefu.visitor.' + channel;
    const saved = loadJSON(this.key, {});
    this.token = saved.token || null;
    this.visitorId = saved.visitor_id || null;
    /** sessions: { id: { seq, items: [{ seq, type, time, data }], opened } } */
    this.sessions = saved.sessions || {};
    this.current = saved.current || null;
    /** outbox: [{ client_message_id, body, state }] in send order */
    this.outbox = saved.outbox || [];
    this.timer = null;
  }

  /** Drops everything kept (another signed-in user, or a user who signed out, on this browser). */
  forget() {
    this.token = null;
    this.visitorId = null;
    this.sessions = {};
    this.current = null;
    this.outbox = [];
    this.save(true);
  }

  /** Writes soon (coalesces bursts of events). */
  save(now = false) {
    clearTimeout(this.timer);
    const write = () =>
      saveJSON(this.key, {
        token: this.token, visitor_id: this.visitorId, sessions: this.sessions, current: this.current, outbox: this.outbox,
      });
    if (now) write();
    else this.timer = setTimeout(write, 150);
  }

  session(id) {
    if (!this.sessions[id]) {
      this.sessions[id] = { seq: 0, items: [], opened: Date.now() };
      const ids = Object.keys(this.sessions).sort((a, b) => this.sessions[a].opened - this.sessions[b].opened);
      while (ids.length > MAX_SESSIONS) {
        const old = ids.shift();
        if (old !== this.current && old !== id) delete this.sessions[old];
        else break;
      }
    }
    return this.sessions[id];
  }

  /** Records an event; false when this (session, seq) was already handled. */
  record(id, item) {
    const session = this.session(id);
    if (session.items.some((i) => i.seq === item.seq)) return false;
    let index = session.items.length;
    while (index > 0 && session.items[index - 1].seq > item.seq) index -= 1;
    session.items.splice(index, 0, item);
    if (session.items.length > MAX_ITEMS) session.items.splice(0, session.items.length - MAX_ITEMS);
    session.seq = Math.max(session.seq, item.seq);
    this.save();
    return true;
  }

  /** `{ session_id: last_seq }` for resuming every kept session. */
  resumePoints() {
    const points = {};
    for (const [id, session] of Object.entries(this.sessions)) points[id] = session.seq || 0;
    return points;
  }

  /** Sessions in the order they were opened. */
  orderedSessions() {
    return Object.entries(this.sessions).sort((a, b) => a[1].opened - b[1].opened);
  }
}
