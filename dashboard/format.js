// How figures read on the page: one decimal for percentages, whole numbers for network,
// thousands separated so "10,000 servers" is read at a glance.
//
// One NumberFormat made once: toLocaleString('en-US') looks the locale up on every call,
// and the top table formats a hundred figures per redraw.
//
// Lesson: lessons/15-the-dashboard-page.md.
import { GAUGE_COUNT } from './fleet.js';

export const LABELS = ['CPU', 'memory', 'disk', 'net in', 'net out'];

const THOUSANDS = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });

export function formatCount(n) {
  return THOUSANDS.format(n);
}

export function formatValue(gauge, value) {
  return gauge < 3 ? `${value.toFixed(1)} %` : THOUSANDS.format(Math.round(value));
}

/** "CPU 42.5 %, memory 61.2 %, disk 70.1 %, net in 320, net out 210" for one server. */
export function formatFigures(fleet, index) {
  const parts = [];
  for (let g = 0; g < GAUGE_COUNT; g++) {
    parts.push(`${LABELS[g]} ${formatValue(g, fleet.latest[index * GAUGE_COUNT + g])}`);
  }
  return parts.join(', ');
}
