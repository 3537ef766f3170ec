// The wire: what each system sends and what it expects, as the contract's tables say.
// Every message of either system becomes a list of samples of one shape, so nothing after
// this file knows which system is on the other end.
//
// A sample: { serverId, timestamp, values: [cpu, memory, disk, networkIn, networkOut] }.
// Lesson: lessons/15-the-dashboard-page.md   Spec: docs/CONTRACT.md, System 1 broadcaster
// and System 2 tables.

/** Fleet following: at most one message per interval, whatever the fleet size. */
export const TICK_INTERVAL_MS = 250;

/** System 1 pushes the contract's raw metric (metric.processed, tick, snapshot). */
export function sampleFromMetric(metric) {
  if (!metric || typeof metric.serverId !== 'string' || !metric.metrics) return null;
  const m = metric.metrics;
  const network = m.network || {};  // the contract: a missing network counts as 0
  return {
    serverId: metric.serverId, timestamp: metric.timestamp,
    values: [m.cpu, m.memory, m.disk, network.in ?? 0, network.out ?? 0],
  };
}

/**
 * System 2 pushes aggregates: averages over windows of 1x, 5x and 10x its base length,
 * keyed by their length in ms. We take the chosen window, or the shortest when none was
 * chosen or the chosen one is not there; an empty window has null averages (no sample).
 */
export function sampleFromAggregate(aggregate, windowKey) {
  if (!aggregate || typeof aggregate.serverId !== 'string' || !aggregate.windows) return null;
  const window = aggregate.windows[windowKey] ?? aggregate.windows[windowKeys(aggregate)[0]];
  if (!window || !window.averages) return null;
  const a = window.averages;
  return {
    serverId: aggregate.serverId, timestamp: aggregate.timestamp,
    values: [a.cpu, a.memory, a.disk, a.networkIn, a.networkOut],
  };
}

/** An aggregate's window lengths, shortest first, as the strings the contract uses. */
export function windowKeys(aggregate) {
  return Object.keys(aggregate?.windows ?? {}).sort((a, b) => Number(a) - Number(b));
}

/**
 * One message in, what it means for the page: `live` samples came as they happened (they
 * count for the delay), `snapshot` samples are the latest the system remembers (possibly
 * old). Unknown types, acks and greetings bring nothing to draw.
 */
export function decode(message, system, windowKey) {
  const items = [].concat(message.payload ?? []);  // one, many, or null
  // No window chosen: the shortest, found once per message, not once per server.
  const key = windowKey ?? windowKeys(items[0])[0];
  const fromItem = system === 'system1'
    ? (item) => sampleFromMetric(item) : (item) => sampleFromAggregate(item, key);
  const samples = () => items.map(fromItem).filter(Boolean);
  switch (message.type) {
    case 'metric.processed':                        // System 1, one per metric
    case 'metric.update':                           // System 2, one per metric
    case 'tick':                                    // both, conflated per interval
      return { live: samples(), snapshot: [] };
    case 'snapshot':
      return { live: [], snapshot: samples() };
    default:
      return { live: [], snapshot: [] };
  }
}

/**
 * Tells the system what to push. The fleet (serverId null) is followed in tick mode:
 * System 2 conflates to one message per interval with the latest aggregate of every server
 * that changed; System 1 does the same with raw metrics where it has tick mode, and where
 * it does not it ignores the two extra fields and pushes every metric. One server is
 * followed per metric: a single server sends little.
 */
export function followMessage(system, serverId) {
  const tick = serverId === null ? { mode: 'tick', intervalMs: TICK_INTERVAL_MS } : {};
  return system === 'system1'
    ? { type: 'subscribe', serverId, ...tick }
    : { type: 'register', role: 'dashboard', serverId, ...tick };
}

/** The latest the system knows: System 2 can narrow it to one server, System 1 cannot. */
export function snapshotRequest(system, serverId) {
  return system === 'system2' && serverId !== null
    ? { type: 'snapshot.request', serverId } : { type: 'snapshot.request' };
}
