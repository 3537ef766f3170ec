// Fleet-wide percentiles over time: once a second, the p50, p90, p99 and max of every
// reporting server's latest CPU, memory, disk and network, kept for the last BAND_POINTS
// seconds. Four lines per chart say more about 10,000 servers than 10,000 lines: the
// median is the typical server, p99 the worst 1 in 100, max the single worst one.
//
// Percentiles by sorting a typed array: 10,000 numbers sort in about a millisecond, once a
// second - no sketch (t-digest, HDR histogram) is needed at this size.
//
// Lesson: lessons/15-the-dashboard-page.md ("Designing a live page for a fleet").
import { GAUGE_COUNT } from './fleet.js';

export const BANDS = ['p50', 'p90', 'p99', 'max'];
export const BAND_METRICS = ['cpu', 'memory', 'disk', 'network'];  // network = in + out
export const BAND_POINTS = 120;  // two minutes at one point a second

/**
 * The nearest-rank percentile of values sorted ascending: the smallest value with at
 * least p % of the values at or below it. Empty input has no percentile (NaN).
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export class FleetBands {
  constructor() {
    // metric -> band -> [{x, y}], the shape Chart.js draws with parsing off
    this.series = Object.fromEntries(BAND_METRICS.map((metric) =>
      [metric, Object.fromEntries(BANDS.map((band) => [band, []]))]));
    this.scratch = new Float32Array(0);
  }

  /** Adds one point per metric and band at time `now`, from the servers reporting. */
  sample(fleet, now, staleMs) {
    const reporting = [];
    for (let i = 0; i < fleet.size; i++) {
      if (now - fleet.receivedAt[i] <= staleMs) reporting.push(i);
    }
    if (reporting.length === 0) return false;
    if (this.scratch.length < reporting.length) this.scratch = new Float32Array(fleet.maxServers);
    const values = this.scratch.subarray(0, reporting.length);
    BAND_METRICS.forEach((metric, m) => {
      for (let k = 0; k < reporting.length; k++) {
        const base = reporting[k] * GAUGE_COUNT;
        values[k] = metric === 'network'
          ? fleet.latest[base + 3] + fleet.latest[base + 4] : fleet.latest[base + m];
      }
      values.sort();  // a typed array sorts by number, not as text
      const points = { p50: percentile(values, 50), p90: percentile(values, 90),
                       p99: percentile(values, 99), max: values[values.length - 1] };
      for (const band of BANDS) {
        const line = this.series[metric][band];
        line.push({ x: now, y: points[band] });
        if (line.length > BAND_POINTS) line.shift();
      }
    });
    return true;
  }

  clear() {
    for (const metric of BAND_METRICS) {
      for (const band of BANDS) this.series[metric][band].length = 0;
    }
  }
}
