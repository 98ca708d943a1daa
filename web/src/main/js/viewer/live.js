// The slice's websocket: others' edits and pointers arrive here; after a drop it reconnects
// (with back-off) and asks for what it missed since the last change it saw.
export class LiveLink {
  constructor(sliceId, handlers) {
    this.sliceId = sliceId;
    this.handlers = handlers;
    this.closed = false;
    this.attempt = 0;
    this.since = null;
    this.connect();
  }

  connect() {
    if (this.closed) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const ws = new WebSocket(`${scheme}://${location.host}/api/v1/slices/${this.sliceId}/live`);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.handlers.status('live');
      if (this.since !== null) ws.send(JSON.stringify({ type: 'resync', since: this.since }));
    };
    ws.onmessage = (event) => {
      let msg;
      try { msg = JSON.parse(event.data); } catch { return; }
      if (msg.seq !== undefined && msg.type !== 'cursor') this.since = Math.max(this.since || 0, msg.seq);
      const handler = this.handlers[msg.type];
      if (handler) handler(msg);
    };
    ws.onclose = () => {
      if (this.closed) return;
      this.handlers.status('reconnecting');
      const delay = Math.min(10000, 300 * 2 ** this.attempt++);
      setTimeout(() => this.connect(), delay);
    };
  }

  sendCursor(x, y) {
    const now = performance.now();
    if (this.ws && this.ws.readyState === WebSocket.OPEN && now - (this.lastCursor || 0) > 50) {
      this.lastCursor = now;
      this.ws.send(JSON.stringify({ type: 'cursor', x, y }));
    }
  }

  close() {
    this.closed = true;
    if (this.ws) this.ws.close();
  }
}
