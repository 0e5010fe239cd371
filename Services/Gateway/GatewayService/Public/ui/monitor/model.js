// The monitor's state: agents with their sessions and skill groups, one queue per skill group (key '' for the
// default queue), today's counters and the last hour's history, built from the snapshot and kept current by the
// events pushed over the staff WebSocket.

/** Sort key of a queued visitor: priority, then enqueue time, then id (routing's assignment order). */
export function queueOrder(a, b) {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.enqueued_at !== b.enqueued_at) return a.enqueued_at < b.enqueued_at ? -1 : 1;
  return a.session_id < b.session_id ? -1 : a.session_id > b.session_id ? 1 : 0;
}

export class MonitorModel {
  constructor() {
    this.reset();
  }

  reset() {
    this.agents = new Map();
    this.sessionAgent = new Map();
    this.queue = new Map();
    /** key ('' for the default queue) → { group, name } in the snapshot's order. */
    this.groups = new Map();
    this.history = [];
    this.counters = null;
    this.changed = { agents: new Set(), queueAdded: new Set(), queueRemoved: new Set(), counters: false, all: true };
  }

  /** Replaces everything with `GET /supervisor/monitor`'s answer. */
  load(snapshot) {
    this.reset();
    for (const agent of snapshot.agents || []) {
      const sessions = new Map();
      for (const s of agent.sessions || []) {
        sessions.set(s.session_id, s);
        this.sessionAgent.set(s.session_id, agent.agent_id);
      }
      this.agents.set(agent.agent_id, { ...agent, sessions });
    }
    this.groups.set('', { group: null, name: null });
    for (const queue of snapshot.queues || []) {
      const key = queue.group || '';
      this.groups.set(key, { group: queue.group ?? null, name: queue.name ?? null });
      for (const v of queue.visitors || []) this.queue.set(v.session_id, { ...v, group: v.group ?? queue.group ?? null });
    }
    this.history = (snapshot.history && snapshot.history.points) || [];
    this.counters = snapshot.counters || null;
    this.changed.all = true;
  }

  detach(sessionId) {
    const agentId = this.sessionAgent.get(sessionId);
    if (!agentId) return;
    this.sessionAgent.delete(sessionId);
    const agent = this.agents.get(agentId);
    if (agent && agent.sessions.delete(sessionId)) this.changed.agents.add(agentId);
  }

  attach(sessionId, agentId, item) {
    this.detach(sessionId);
    const agent = this.agents.get(agentId);
    if (!agent) return;
    agent.sessions.set(sessionId, item);
    this.sessionAgent.set(sessionId, agentId);
    this.changed.agents.add(agentId);
  }

  dequeue(sessionId) {
    if (this.queue.delete(sessionId)) {
      this.changed.queueRemoved.add(sessionId);
      this.changed.queueAdded.delete(sessionId);
    }
  }

  /** Applies one `{ type: 'event', event, time, data }` frame; returns whether anything changed. */
  apply(frame) {
    const d = frame.data || {};
    const time = frame.time || new Date().toISOString();
    switch (frame.event) {
      case 'session.queued':
        this.detach(d.session_id);
        if (d.group && !this.groups.has(d.group)) {
          this.groups.set(d.group, { group: d.group, name: d.group });
          this.changed.all = true;
        }
        this.queue.set(d.session_id, { session_id: d.session_id, channel: d.channel, visitor_id: d.visitor_id, priority: d.priority ?? 10, enqueued_at: time, reason: d.reason, group: d.group ?? null });
        this.changed.queueRemoved.delete(d.session_id);
        this.changed.queueAdded.add(d.session_id);
        return true;
      case 'session.assigned':
        this.dequeue(d.session_id);
        this.attach(d.session_id, d.agent_id, { session_id: d.session_id, channel: d.channel, visitor_id: d.visitor_id, assigned_at: time, waiting_since: time });
        return true;
      case 'session.transferred': {
        const from = this.agents.get(d.from_agent_id);
        const before = from && from.sessions.get(d.session_id);
        this.attach(d.session_id, d.to_agent_id, { session_id: d.session_id, channel: d.channel, visitor_id: d.visitor_id, assigned_at: time, waiting_since: time, ...(before ? { channel: before.channel } : {}) });
        return true;
      }
      case 'session.ended':
        this.dequeue(d.session_id);
        this.detach(d.session_id);
        return true;
      case 'agent.updated': {
        if (d.enabled === false) {
          if (this.agents.delete(d.agent_id)) this.changed.all = true;
          return true;
        }
        const known = this.agents.get(d.agent_id);
        const next = { sessions: new Map(), groups: [], ...known, agent_id: d.agent_id, name: d.name, status: d.status, present: d.present, capacity: d.capacity, load: d.load };
        this.agents.set(d.agent_id, next);
        if (known) this.changed.agents.add(d.agent_id);
        else this.changed.all = true;
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * Applies a `monitor.reply` frame (a visitor's or agent's message, no content): the visitor's message starts a
   * wait for the agent's reply unless one runs; the agent's message ends it. Returns whether anything changed.
   */
  reply(frame) {
    const agentId = this.sessionAgent.get(frame.session_id);
    const agent = agentId && this.agents.get(agentId);
    const session = agent && agent.sessions.get(frame.session_id);
    if (!session) return false;
    const next = frame.sender === 'agent' ? null : session.waiting_since || frame.time || new Date().toISOString();
    if (next === (session.waiting_since ?? null)) return false;
    session.waiting_since = next;
    this.changed.agents.add(agentId);
    return true;
  }

  /** Sets today's counters from a `monitor.counters` frame. */
  setCounters(counters) {
    this.counters = counters;
    this.changed.counters = true;
  }

  takeChanges() {
    const changes = this.changed;
    this.changed = { agents: new Set(), queueAdded: new Set(), queueRemoved: new Set(), counters: false, all: false };
    return changes;
  }

  /** The display name of a queue key ('' is the default queue). */
  groupName(key) {
    const group = this.groups.get(key || '');
    return (group && group.name) || key || '';
  }

  /** Waits in seconds of the queued visitors at `now` (ms). */
  waits(now) {
    const result = [];
    for (const v of this.queue.values()) result.push(Math.max(0, (now - Date.parse(v.enqueued_at)) / 1000));
    return result;
  }
}
