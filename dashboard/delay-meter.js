// The page's own live figures, measured where the reader sits: WebSocket messages and
// server updates received per second, and the end-to-end delay of each live update -
// Date.now() in the browser minus the timestamp the server put in its metric - as p50 and
// p95 over the last WINDOW_MS.
//
// Why the metric's own timestamp: it is the only instant the whole pipeline shares. Time
// of receipt at the ingest would hide the sender's queue; time of the push would hide the
// stream, the workers and Redis. The price: two clocks. On one machine they agree; across
// machines the figure is off by their difference (NTP keeps it to milliseconds; a
// laptop off NTP can be seconds off, even negative), which the page says in words.
//
// Bounded: at most MAX_DELAYS in the window. At 10,000 updates a second the oldest drop
// first, and the figure covers a little less than WINDOW_MS; the page shows how many.
//
// Lesson: lessons/15-the-dashboard-page.md ("Why delay is measured from the metric").
import { percentile } from './percentiles.js';

export const WINDOW_MS = 10000;
const MAX_DELAYS = 32768;
const RATE_WINDOW_MS = 1000;

export class DelayMeter {
  constructor() {
    this.at = new Float64Array(MAX_DELAYS);     // when each delay was measured
    this.delays = new Float64Array(MAX_DELAYS);
    this.next = 0;
    this.count = 0;
    this.scratch = new Float64Array(MAX_DELAYS);
    this.messages = [];  // [time, count] per second, for the rates
    this.current = { started: 0, messages: 0, updates: 0 };
    this.rates = { messagesPerSecond: 0, updatesPerSecond: 0 };
  }

  /** One WebSocket message that brought `updates` live samples. */
  message(now, updates) {
    if (now - this.current.started >= RATE_WINDOW_MS) this.roll(now);
    this.current.messages++;
    this.current.updates += updates;
  }

  /** Closes the current second: its counts become the rates shown. */
  roll(now) {
    const elapsed = now - this.current.started;
    if (this.current.started > 0 && elapsed < 2 * RATE_WINDOW_MS) {
      this.rates = { messagesPerSecond: (this.current.messages * 1000) / elapsed,
                     updatesPerSecond: (this.current.updates * 1000) / elapsed };
    } else {
      this.rates = { messagesPerSecond: 0, updatesPerSecond: 0 };  // a silent second or more
    }
    this.current = { started: now, messages: 0, updates: 0 };
  }

  /** The delay of one live sample: now minus the metric's own timestamp. */
  delay(now, timestamp) {
    this.at[this.next] = now;
    this.delays[this.next] = now - timestamp;
    this.next = (this.next + 1) % MAX_DELAYS;
    this.count = Math.min(MAX_DELAYS, this.count + 1);
  }

  /** p50, p95 and the number of delays measured in the last WINDOW_MS. */
  summary(now) {
    if (now - this.current.started >= RATE_WINDOW_MS) this.roll(now);
    let n = 0;
    for (let k = 0; k < this.count; k++) {
      if (now - this.at[k] <= WINDOW_MS) this.scratch[n++] = this.delays[k];
    }
    const recent = this.scratch.subarray(0, n).sort();
    return { p50: percentile(recent, 50), p95: percentile(recent, 95), samples: n, ...this.rates };
  }

  clear() {
    this.next = 0;
    this.count = 0;
  }
}
