// The heat map: one cell per server, in id order, coloured by the chosen metric's latest
// value - 10,000 servers in a few hundred pixels, where a hot spot or a grey (silent) block
// shows at a glance. Hover names the server and its figures; a click opens it.
//
// Drawn into one ImageData, pixel by pixel, and put on the canvas in one call: 10,000
// fillRect calls with 10,000 fillStyle strings would cost more than the data behind them.
//
// Lesson: lessons/15-the-dashboard-page.md ("Designing a live page for a fleet").
import { VIRIDIS, scaleIndex, cssColour } from './colour-scale.js';
import { GAUGES, GAUGE_COUNT } from './fleet.js';
import { formatFigures } from './format.js';

const MAX_HEIGHT_PX = 420;  // the map may not push the rest of the page off a projector
const MIN_CELL_PX = 3;
const MAX_CELL_PX = 28;
const SILENT_RGB = [0xc8, 0xcc, 0xd2];  // grey: not reporting, also readable in greyscale

/** The scale's top for a metric: percentages end at 100, network at the fleet's max. */
function scaleMax(fleet, gauge, reporting) {
  if (gauge < 3) return 100;
  let max = 0;
  for (const i of reporting) max = Math.max(max, fleet.latest[i * GAUGE_COUNT + gauge]);
  if (max <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));  // a round top: 500, not 487.3
  return Math.ceil(max / magnitude) * magnitude;
}

export class HeatMap {
  constructor({ canvas, legend, legendMax, tooltip, fleet, staleMs, onOpen }) {
    Object.assign(this, { canvas, legend, legendMax, tooltip, fleet, staleMs, onOpen });
    this.gauge = 0;           // index into GAUGES; CPU first
    this.layout = { cell: 0, cols: 1, count: 0 };
    this.hovered = null;      // { serverId, clientX, clientY }
    this.max = 100;
    canvas.addEventListener('mousemove', (event) => this.hover(event));
    canvas.addEventListener('mouseleave', () => { this.hovered = null; tooltip.hidden = true; });
    canvas.addEventListener('click', (event) => {
      const serverId = this.serverAt(event.offsetX, event.offsetY);
      if (serverId !== null) onOpen(serverId);
    });
    this.drawLegend();
  }

  setGauge(gauge) {
    this.gauge = gauge;
  }

  /** Cell size and columns for `count` servers in the canvas's width. */
  fit(count) {
    const width = Math.max(100, this.canvas.parentElement.clientWidth);
    const cell = Math.max(MIN_CELL_PX,
      Math.min(MAX_CELL_PX, Math.floor(Math.sqrt((width * MAX_HEIGHT_PX) / Math.max(1, count)))));
    const cols = Math.max(1, Math.floor(width / cell));
    const rows = Math.max(1, Math.ceil(count / cols));
    const ratio = window.devicePixelRatio || 1;
    this.canvas.style.width = `${cols * cell}px`;
    this.canvas.style.height = `${rows * cell}px`;
    this.canvas.width = Math.round(cols * cell * ratio);
    this.canvas.height = Math.round(rows * cell * ratio);
    this.layout = { cell, cols, count, ratio, width };
  }

  draw(now) {
    const fleet = this.fleet;
    const order = fleet.sortedIndexes();
    const width = this.canvas.parentElement.clientWidth;
    if (order.length !== this.layout.count || width !== this.layout.width) this.fit(order.length);
    const reporting = order.filter((i) => now - fleet.receivedAt[i] <= this.staleMs);
    this.max = scaleMax(fleet, this.gauge, reporting);
    this.legendMax.textContent = this.gauge < 3 ? '100 %' : this.max.toLocaleString('en-US');

    const { cell, cols, ratio } = this.layout;
    const context = this.canvas.getContext('2d');
    if (!this.image || this.image.width !== this.canvas.width || this.image.height !== this.canvas.height) {
      this.image = context.createImageData(this.canvas.width, this.canvas.height);
    }
    const image = this.image;  // reused: a fresh 2 MB buffer per frame is work for the GC
    const pixels = new Uint32Array(image.data.buffer);  // one write per pixel, RGBA at once
    pixels.fill(0);
    const gap = cell >= 6 ? 1 : 0;                      // a hairline between larger cells
    const side = Math.max(1, Math.round((cell - gap) * ratio));
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      let r; let g; let b;
      if (now - fleet.receivedAt[i] > this.staleMs) {
        [r, g, b] = SILENT_RGB;
      } else {
        const c = scaleIndex(fleet.latest[i * GAUGE_COUNT + this.gauge], this.max) * 3;
        r = VIRIDIS[c]; g = VIRIDIS[c + 1]; b = VIRIDIS[c + 2];
      }
      const rgba = (255 << 24) | (b << 16) | (g << 8) | r;  // little-endian: ABGR in memory
      const x0 = Math.round((k % cols) * cell * ratio);
      const y0 = Math.round(Math.floor(k / cols) * cell * ratio);
      for (let y = y0; y < y0 + side && y < this.canvas.height; y++) {
        pixels.fill(rgba, y * this.canvas.width + x0, y * this.canvas.width + x0 + side);
      }
    }
    context.putImageData(image, 0, 0);
    this.canvas.dataset.cells = String(order.length);
    this.canvas.setAttribute('aria-label', `Heat map of ${GAUGES[this.gauge]} for `
      + `${order.length} servers, one cell each; the table below lists the hottest`);
    if (this.hovered) this.showTooltip();
  }

  /** The server under a point of the canvas (CSS pixels from its corner), or null. */
  serverAt(x, y) {
    const { cell, cols } = this.layout;
    if (cell === 0 || x < 0 || y < 0) return null;
    const col = Math.floor(x / cell);
    const k = Math.floor(y / cell) * cols + col;
    const order = this.fleet.sortedIndexes();
    return col < cols && k < order.length ? this.fleet.ids[order[k]] : null;
  }

  /** Where a server's cell is on screen (its centre, client coordinates), or null. */
  cellCentre(serverId) {
    const index = this.fleet.indexOf.get(serverId);
    const k = this.fleet.sortedIndexes().indexOf(index);
    if (index === undefined || k < 0) return null;
    const { cell, cols } = this.layout;
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + (k % cols) * cell + cell / 2,
             y: rect.top + Math.floor(k / cols) * cell + cell / 2 };
  }

  hover(event) {
    const serverId = this.serverAt(event.offsetX, event.offsetY);
    this.hovered = serverId === null ? null
      : { serverId, clientX: event.clientX, clientY: event.clientY };
    this.canvas.style.cursor = serverId === null ? 'default' : 'pointer';
    if (this.hovered) this.showTooltip(); else this.tooltip.hidden = true;
  }

  /** Name and figures, as text (ids come from producers: never innerHTML). */
  showTooltip() {
    const { serverId, clientX, clientY } = this.hovered;
    const index = this.fleet.indexOf.get(serverId);
    this.tooltip.textContent = `${serverId} — ${formatFigures(this.fleet, index)}`;
    this.tooltip.style.left = `${clientX + window.scrollX + 12}px`;
    this.tooltip.style.top = `${clientY + window.scrollY + 12}px`;
    this.tooltip.hidden = false;
  }

  /** The scale as a strip, low to high, drawn once: it never changes, only its labels. */
  drawLegend() {
    const context = this.legend.getContext('2d');
    for (let x = 0; x < this.legend.width; x++) {
      context.fillStyle = cssColour(scaleIndex(x, this.legend.width - 1));
      context.fillRect(x, 0, 1, this.legend.height);
    }
  }
}
