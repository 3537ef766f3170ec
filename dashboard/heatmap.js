// The heat map: one cell per server, in id order, coloured by the chosen metric's latest
// value - 10,000 servers in a few hundred pixels, where a hot spot or a grey (silent) block
// shows at a glance. Hover names the server and its figures; a click opens it.
//
// Drawn as one pixel per server into a small ImageData (a grid of cols x rows pixels), put on
// a hidden canvas in one call and scaled up to the cells' size by one drawImage with
// smoothing off; the hairlines between larger cells are cut out of it with a mask drawn once
// per layout. 10,000 fillRect calls with 10,000 fillStyle strings would cost more than the
// data behind them, and so did filling every pixel of every cell in script: at 7 px cells
// that was 60,000 fills and most of the page's drawing time (FleetScaleBrowserTest's
// profile). Now the script writes 10,000 numbers and the browser scales.
//
// Lesson: lessons/15-the-dashboard-page.md ("Designing a live page for a fleet").
import { VIRIDIS, STEPS, scaleIndex, cssColour } from './colour-scale.js';
import { GAUGES, GAUGE_COUNT } from './fleet.js';
import { formatFigures } from './format.js';

const MAX_HEIGHT_PX = 420;  // the map may not push the rest of the page off a projector
const MIN_CELL_PX = 3;
const MAX_CELL_PX = 28;
const SILENT_RGB = [0xc8, 0xcc, 0xd2];  // grey: not reporting, also readable in greyscale

/** One pixel's RGBA as one number: little-endian, so ABGR in memory order. */
function rgbaOf(r, g, b) {
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

const SILENT = rgbaOf(...SILENT_RGB);
/** The scale as whole pixels: a cell costs one lookup, not three. */
const SCALE = Uint32Array.from({ length: STEPS },
  (_, c) => rgbaOf(VIRIDIS[c * 3], VIRIDIS[c * 3 + 1], VIRIDIS[c * 3 + 2]));

/** The scale's top for a metric: percentages end at 100, network at the fleet's max. */
function scaleMax(fleet, gauge, now, staleMs) {
  if (gauge < 3) return 100;
  let max = 0;
  for (let i = 0; i < fleet.size; i++) {
    if (now - fleet.receivedAt[i] <= staleMs) max = Math.max(max, fleet.latest[i * GAUGE_COUNT + gauge]);
  }
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
    this.grid = document.createElement('canvas');  // one pixel per cell, never shown
    this.gaps = document.createElement('canvas');   // the hairlines to cut out, or none
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
    this.layout = { cell, cols, rows, count, ratio, width };
    this.grid.width = cols;
    this.grid.height = rows;
    this.image = this.grid.getContext('2d').createImageData(cols, rows);
    this.pixels = new Uint32Array(this.image.data.buffer);  // one write per cell, RGBA at once
    this.drawGaps();
  }

  /** A hairline right of and below every cell of 6 px or more; smaller cells touch. */
  drawGaps() {
    const { cell, cols, rows, ratio } = this.layout;
    this.gaps.width = this.canvas.width;
    this.gaps.height = this.canvas.height;
    this.hasGaps = cell >= 6;
    if (!this.hasGaps) return;
    const context = this.gaps.getContext('2d');
    const line = Math.max(1, Math.round(ratio));
    for (let c = 1; c <= cols; c++) {
      context.fillRect(Math.round(c * cell * ratio) - line, 0, line, this.gaps.height);
    }
    for (let r = 1; r <= rows; r++) {
      context.fillRect(0, Math.round(r * cell * ratio) - line, this.gaps.width, line);
    }
  }

  draw(now) {
    const fleet = this.fleet;
    const order = fleet.sortedIndexes();
    const width = this.canvas.parentElement.clientWidth;
    if (order.length !== this.layout.count || width !== this.layout.width) this.fit(order.length);
    this.max = scaleMax(fleet, this.gauge, now, this.staleMs);
    const legendMax = this.gauge < 3 ? '100 %' : this.max.toLocaleString('en-US');
    if (this.legendMax.textContent !== legendMax) this.legendMax.textContent = legendMax;

    const pixels = this.pixels;
    for (let k = 0; k < order.length; k++) {
      const i = order[k];
      pixels[k] = now - fleet.receivedAt[i] > this.staleMs ? SILENT
        : SCALE[scaleIndex(fleet.latest[i * GAUGE_COUNT + this.gauge], this.max)];
    }
    pixels.fill(0, order.length);  // the last row's empty end stays clear
    this.grid.getContext('2d').putImageData(this.image, 0, 0);
    const context = this.canvas.getContext('2d');
    context.clearRect(0, 0, this.canvas.width, this.canvas.height);
    context.imageSmoothingEnabled = false;  // sharp cells, not a blur between neighbours
    context.drawImage(this.grid, 0, 0, this.canvas.width, this.canvas.height);
    if (this.hasGaps) {
      context.globalCompositeOperation = 'destination-out';  // the mask's lines become clear
      context.drawImage(this.gaps, 0, 0);
      context.globalCompositeOperation = 'source-over';
    }
    if (this.canvas.dataset.cells !== String(order.length) || this.labelled !== this.gauge) {
      this.canvas.dataset.cells = String(order.length);
      this.labelled = this.gauge;
      this.canvas.setAttribute('aria-label', `Heat map of ${GAUGES[this.gauge]} for `
        + `${order.length} servers, one cell each; the table below lists the hottest`);
    }
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
