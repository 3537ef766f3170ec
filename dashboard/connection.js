// One WebSocket to the chosen system, kept open: on open it sends what the page follows
// and asks for a snapshot (so the page is full at once, not after the next push); on
// close it retries with exponential backoff and jitter (0.5 s doubling to 10 s), so a
// restarted system is not hit by every page in the same millisecond.
//
// Lesson: lessons/15-the-dashboard-page.md.

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10000;

export class Connection {
  /**
   * @param onOpen    () => void: send the filter and the snapshot request here
   * @param onMessage (text) => void
   * @param onStatus  (state, words) => void: 'connecting' | 'open' | 'retrying'
   */
  constructor({ onOpen, onMessage, onStatus }) {
    Object.assign(this, { onOpen, onMessage, onStatus });
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
  }

  open(url, name) {
    this.close();
    this.url = url;
    this.name = name;
    this.connect();
  }

  connect() {
    this.onStatus('connecting', `${this.name}: connecting to ${this.url}…`);
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.attempt = 0;
      this.onStatus('open', `${this.name}: connected`);
      this.onOpen();
    };
    socket.onmessage = (event) => this.onMessage(event.data);
    socket.onclose = () => {
      if (this.socket !== socket) return;  // closed on purpose: a switch of system
      const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** this.attempt++);
      const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
      this.onStatus('retrying', `${this.name}: disconnected, retrying in ${(delay / 1000).toFixed(1)} s`);
      this.timer = setTimeout(() => this.connect(), delay);
    };
    // onerror is always followed by onclose, which does the work; the browser logs the cause.
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(message));
    }
  }

  close() {
    clearTimeout(this.timer);
    const old = this.socket;
    this.socket = null;
    if (old) old.close(1000, 'switching system');
  }
}
