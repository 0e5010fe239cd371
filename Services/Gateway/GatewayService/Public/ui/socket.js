// A WebSocket that reconnects with backoff and resumes every session from the last seq it handled.

/**
 * `url()` builds the socket URL (called on every connect, so it can take a fresh token);
 * `resumePoints()` returns `{ session_id: last_seq }`; `onFrame(frame)` gets every parsed frame;
 * `onState('connecting' | 'open' | 'closed')` reports the connection state.
 */
export class LiveSocket {
  constructor({ url, resumePoints, onFrame, onState, beforeConnect }) {
    this.url = url;
    this.resumePoints = resumePoints;
    this.onFrame = onFrame;
    this.onState = onState || (() => {});
    this.beforeConnect = beforeConnect;
    this.ws = null;
    this.attempt = 0;
    this.timer = null;
    this.pinger = null;
    this.stopped = true;
    this.onOnline = () => this.reconnectNow();
  }

  /** Connects (and keeps reconnecting until `stop`). */
  start() {
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    this.connect();
  }

  /** Closes for good. */
  stop() {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    clearTimeout(this.timer);
    clearInterval(this.pinger);
    if (this.ws) this.ws.close(1000);
    this.ws = null;
  }

  /** Reconnects at once (e.g. when the network comes back). */
  reconnectNow() {
    if (this.stopped) return;
    if (this.ws && this.ws.readyState === WebSocket.OPEN) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    this.connect();
  }

  /** Asks the server to (re)send what follows these points: `{ session_id: seq }`. */
  resume(points) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN && points && Object.keys(points).length) {
      this.ws.send(JSON.stringify({ type: 'resume', sessions: points }));
    }
  }

  /** Sends a frame such as `{ type: 'typing', … }` when open; dropped otherwise (nothing is queued). */
  send(frame) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  get open() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  async connect() {
    if (this.stopped) return;
    if (this.ws) {
      this.ws.onclose = null;
      this.ws.close();
    }
    this.onState('connecting');
    if (this.beforeConnect) {
      try {
        await this.beforeConnect(this.attempt);
      } catch {
        this.schedule();
        return;
      }
    }
    if (this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    let ws;
    try {
      ws = new WebSocket(scheme + '//' + location.host + this.url());
    } catch {
      this.schedule();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.onState('open');
      this.resume(this.resumePoints());
      clearInterval(this.pinger);
      this.pinger = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.send('{"type":"ping"}');
      }, 25000);
    };
    ws.onmessage = (message) => {
      let frame;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      this.onFrame(frame);
    };
    ws.onclose = () => {
      clearInterval(this.pinger);
      if (this.ws === ws) this.ws = null;
      this.onState('closed');
      this.schedule();
    };
    ws.onerror = () => {
      /* onclose follows and schedules the reconnect */
    };
  }

  schedule() {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const delay = Math.min(15000, 500 * 2 ** this.attempt) + Math.random() * 300;
    this.attempt += 1;
    this.timer = setTimeout(() => this.connect(), delay);
  }
}
