// The top-N table: the N servers with the highest value of the chosen metric, re-sorted on
// every redraw. A table answers what a heat map cannot: which server exactly, and by how
// much. Each name links to its server view (the hash), so it works with a keyboard too.
//
// The top N of 10,000 by one pass that keeps a small sorted list - not a sort of the fleet.
//
// Lesson: lessons/15-the-dashboard-page.md ("Designing a live page for a fleet").
import { GAUGE_COUNT } from './fleet.js';
import { formatValue } from './format.js';

export const TOP_N = 20;

/** The indexes of the n servers with the largest value of a gauge, largest first. */
export function topIndexes(fleet, gauge, n, include) {
  const top = [];  // [{ index, value }], descending, at most n
  for (let i = 0; i < fleet.size; i++) {
    if (!include(i)) continue;
    const value = fleet.latest[i * GAUGE_COUNT + gauge];
    if (top.length === n && value <= top[n - 1].value) continue;
    let at = top.length;
    while (at > 0 && top[at - 1].value < value) at--;
    top.splice(at, 0, { index: i, value });
    if (top.length > n) top.pop();
  }
  return top.map((entry) => entry.index);
}

export class TopTable {
  /** @param table a <table> whose header buttons carry data-gauge; rows are made here */
  constructor({ table, fleet, linkTo, onSort }) {
    Object.assign(this, { table, fleet, linkTo });
    this.gauge = 0;
    this.body = table.tBodies[0];
    this.rows = [];
    for (let r = 0; r < TOP_N; r++) {  // made once, filled on every redraw
      const row = this.body.insertRow();
      const link = document.createElement('a');
      row.insertCell().append(link);
      for (let g = 0; g < GAUGE_COUNT; g++) row.insertCell();
      this.rows.push(row);
    }
    table.querySelectorAll('button[data-gauge]').forEach((button) => {
      button.addEventListener('click', () => onSort(Number(button.dataset.gauge)));
    });
  }

  setGauge(gauge) {
    this.gauge = gauge;
    this.table.querySelectorAll('th[data-gauge]').forEach((th) => {
      th.setAttribute('aria-sort', Number(th.dataset.gauge) === gauge ? 'descending' : 'none');
    });
  }

  draw(include) {
    const top = topIndexes(this.fleet, this.gauge, TOP_N, include);
    this.rows.forEach((row, r) => {
      row.hidden = r >= top.length;
      if (row.hidden) return;
      const i = top[r];
      const link = row.cells[0].firstChild;
      const serverId = this.fleet.ids[i];
      const href = this.linkTo(serverId);
      if (link.textContent !== serverId) link.textContent = serverId;
      if (link.getAttribute('href') !== href) link.setAttribute('href', href);
      for (let g = 0; g < GAUGE_COUNT; g++) {
        const cell = row.cells[g + 1];
        const shown = formatValue(g, this.fleet.latest[i * GAUGE_COUNT + g]);
        if (cell.textContent !== shown) cell.textContent = shown;  // unchanged: no DOM work
      }
    });
  }
}
