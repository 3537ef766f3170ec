// Everything the page knows about the fleet, in flat typed arrays: per server its latest
// five figures, when they were measured (the metric's own clock) and when they arrived
// (the page's clock), and a fixed ring of its last HISTORY samples for the server view.
// Memory is bounded twice: per server (the ring never grows) and in servers (MAX_SERVERS;
// ids beyond it are counted, not kept, so a producer inventing ids cannot fill the tab).
//
// Why flat arrays: a loop over 10,000 servers for the heat map, the top-N table and the
// percentiles reads contiguous numbers instead of chasing 10,000 objects.
//
// Lesson: lessons/15-the-dashboard-page.md ("Designing a live page for a fleet").

export const GAUGES = ['cpu', 'memory', 'disk', 'networkIn', 'networkOut'];
export const GAUGE_COUNT = GAUGES.length;
export const MAX_SERVERS = 20000;
export const HISTORY = 60;  // one minute at the senders' default of one sample a second

/** server-2 before server-10: the order a person expects in the heat map and the search. */
export function compareServerIds(a, b) {
  const ka = sortKey(a);
  const kb = sortKey(b);
  if (ka.prefix !== kb.prefix) return ka.prefix < kb.prefix ? -1 : 1;
  if (ka.number !== kb.number) return ka.number - kb.number;
  return a < b ? -1 : a > b ? 1 : 0;
}

const sortKeys = new Map();  // memoised: sorting 10,000 ids reuses each split

function sortKey(id) {
  let key = sortKeys.get(id);
  if (!key) {
    const match = /^(.*?)(\d+)$/.exec(id);
    key = match ? { prefix: match[1], number: Number(match[2]) } : { prefix: id, number: -1 };
    sortKeys.set(id, key);
  }
  return key;
}

export class Fleet {
  constructor(maxServers = MAX_SERVERS) {
    this.maxServers = maxServers;
    this.ids = [];                       // index -> serverId, in order of discovery
    this.indexOf = new Map();            // serverId -> index
    this.latest = new Float32Array(maxServers * GAUGE_COUNT);
    this.measuredAt = new Float64Array(maxServers);   // the metric's timestamp
    this.receivedAt = new Float64Array(maxServers);   // Date.now() when it arrived
    this.rings = [];                     // index -> { times, values, next, count }
    this.ignored = new Set();            // ids refused over the cap (a bounded count below)
    this.ignoredCount = 0;
    this.sorted = [];                    // indexes in compareServerIds order
    this.sortedIsStale = false;
    this.version = 0;                    // bumped on every change: views redraw when it moved
  }

  get size() {
    return this.ids.length;
  }

  /** Records a sample; false when it was refused (over the cap, or not a sample). */
  add(sample, now) {
    if (!sample || typeof sample.timestamp !== 'number') return false;
    let index = this.indexOf.get(sample.serverId);
    if (index === undefined) {
      if (this.ids.length >= this.maxServers) {
        this.countIgnored(sample.serverId);
        return false;
      }
      index = this.ids.length;
      this.ids.push(sample.serverId);
      this.indexOf.set(sample.serverId, index);
      this.rings.push({ times: new Float64Array(HISTORY),
                        values: new Float32Array(HISTORY * GAUGE_COUNT), next: 0, count: 0 });
      this.sortedIsStale = true;
    }
    this.receivedAt[index] = now;
    // A snapshot can repeat what a push brought, or bring older news: time only moves on.
    if (sample.timestamp <= this.measuredAt[index]) return true;
    this.measuredAt[index] = sample.timestamp;
    const ring = this.rings[index];
    ring.times[ring.next] = sample.timestamp;
    for (let g = 0; g < GAUGE_COUNT; g++) {
      const value = Number(sample.values[g]) || 0;
      this.latest[index * GAUGE_COUNT + g] = value;
      ring.values[ring.next * GAUGE_COUNT + g] = value;
    }
    ring.next = (ring.next + 1) % HISTORY;
    ring.count = Math.min(HISTORY, ring.count + 1);
    this.version++;
    return true;
  }

  countIgnored(serverId) {
    if (this.ignored.size < this.maxServers) {
      if (!this.ignored.has(serverId)) {
        this.ignored.add(serverId);
        this.ignoredCount = this.ignored.size;
        this.version++;
      }
    }
  }

  /** Servers heard from (push or snapshot) within the last staleMs of the page's clock. */
  reportingCount(now, staleMs) {
    let count = 0;
    for (let i = 0; i < this.ids.length; i++) {
      if (now - this.receivedAt[i] <= staleMs) count++;
    }
    return count;
  }

  /** Indexes sorted by server id; sorted again only when a server was discovered. */
  sortedIndexes() {
    if (this.sortedIsStale) {
      this.sorted = this.ids.map((_, i) => i).sort((a, b) => compareServerIds(this.ids[a], this.ids[b]));
      this.sortedIsStale = false;
    }
    return this.sorted;
  }

  value(index, gauge) {
    return this.latest[index * GAUGE_COUNT + gauge];
  }

  /** A server's samples, oldest first: { times: [...], values: [[5 figures], ...] }. */
  history(serverId) {
    const index = this.indexOf.get(serverId);
    if (index === undefined) return { times: [], values: [] };
    const ring = this.rings[index];
    const times = [];
    const values = [];
    for (let k = 0; k < ring.count; k++) {
      const slot = (ring.next - ring.count + k + HISTORY) % HISTORY;
      times.push(ring.times[slot]);
      values.push(Array.from(ring.values.subarray(slot * GAUGE_COUNT, (slot + 1) * GAUGE_COUNT)));
    }
    return { times, values };
  }

  /** Forgets every server's past but keeps the servers: a new window means a new series. */
  forgetHistory() {
    for (const ring of this.rings) {
      ring.next = 0;
      ring.count = 0;
    }
    this.measuredAt.fill(0);
    this.version++;
  }

  /** Forgets everything: ids are only meaningful within one system. */
  clear() {
    this.ids = [];
    this.indexOf.clear();
    this.rings = [];
    this.latest.fill(0);
    this.measuredAt.fill(0);
    this.receivedAt.fill(0);
    this.ignored.clear();
    this.ignoredCount = 0;
    sortKeys.clear();
    this.sorted = [];
    this.sortedIsStale = false;
    this.version++;
  }
}
