// The dashboard page: connects to System 1 or System 2, discovers servers from the data,
// keeps the last 60 samples per server (a minute at the senders' default rate) and redraws
// the charts a few times a second.
//
// Lesson: lessons/15-the-dashboard-page.md. No build step and no library but Chart.js:
// what you read here is exactly what the browser runs.
'use strict';

const MAX_POINTS = 60;            // per server and gauge: one minute at one sample a second
const RENDER_INTERVAL_MS = 250;   // redraw at most 4 times a second, however fast data arrives
const STATS_INTERVAL_MS = 2000;
const DISCOVERY_INTERVAL_MS = 10000; // re-ask for a snapshot: finds servers a filter hides
const MAX_SERVERS = 100;          // a bound on memory if a producer invents server ids
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 10000;
const GAUGES = ['cpu', 'memory', 'disk', 'networkIn', 'networkOut'];
const COLORS = ['#0969da', '#cf222e', '#1a7f37', '#9a6700', '#8250df',
                '#bf3989', '#0a7ea4', '#6e7781', '#e16f24', '#116329'];

const statusElement = document.getElementById('connection-status');
const filterElement = document.getElementById('server-filter');
const emptyState = document.getElementById('empty-state');
const statsStatus = document.getElementById('stats-status');

// ---- State: everything the page knows, in one place -------------------------------------

const state = {
  config: null,        // /config.json: each system's wsUrl and statsUrl
  system: new URLSearchParams(location.search).get('system') === 'system2' ? 'system2' : 'system1',
  filter: null,        // a serverId, or null for all servers
  socket: null,
  reconnectAttempt: 0,
  reconnectTimer: null,
  dirty: false,        // new samples since the last redraw
};

/** serverId -> { color, points: { cpu: [{x, y}], memory: [...], ... } } */
const series = new Map();

// ---- One series model for both systems ------------------------------------------------
// A sample is { serverId, timestamp, cpu, memory, disk, networkIn, networkOut }.

/** System 1 pushes the raw metric of the contract (metric.processed, snapshot). */
function sampleFromMetric(metric) {
  if (!metric || typeof metric.serverId !== 'string' || !metric.metrics) return null;
  const m = metric.metrics;
  const network = m.network || {};  // the contract: a missing network counts as 0
  return {
    serverId: metric.serverId, timestamp: metric.timestamp,
    cpu: m.cpu, memory: m.memory, disk: m.disk,
    networkIn: network.in ?? 0, networkOut: network.out ?? 0,
  };
}

/**
 * System 2 pushes aggregates (metric.update, tick, snapshot): averages over windows of
 * 1x, 5x and 10x its base length. We chart the shortest window, the closest to the raw
 * samples; the longer ones are there for smoothing the page does not offer yet.
 */
function sampleFromAggregate(aggregate) {
  if (!aggregate || typeof aggregate.serverId !== 'string' || !aggregate.windows) return null;
  const lengths = Object.keys(aggregate.windows).map(Number).sort((a, b) => a - b);
  const shortest = aggregate.windows[String(lengths[0])];
  if (!shortest || !shortest.averages) return null;  // an empty window has null averages
  return { serverId: aggregate.serverId, timestamp: aggregate.timestamp, ...shortest.averages };
}

/** Appends a sample to its server's series, discovering the server on first sight. */
function addSample(sample) {
  if (!sample || typeof sample.timestamp !== 'number') return;
  let entry = series.get(sample.serverId);
  if (!entry) {
    if (series.size >= MAX_SERVERS) return;
    entry = { color: COLORS[series.size % COLORS.length], points: {} };
    GAUGES.forEach((gauge) => { entry.points[gauge] = []; });
    series.set(sample.serverId, entry);
    addServerOption(sample.serverId);
  }
  const cpu = entry.points.cpu;
  // A snapshot can repeat the sample a push already brought: keep time moving forward.
  if (cpu.length > 0 && sample.timestamp <= cpu[cpu.length - 1].x) return;
  for (const gauge of GAUGES) {
    const points = entry.points[gauge];
    points.push({ x: sample.timestamp, y: Number(sample[gauge]) || 0 });
    if (points.length > MAX_POINTS) points.shift();
  }
  state.dirty = true;
}

/** server-2 before server-10: the order a person expects, in the filter and the legends. */
const byServerId = (a, b) => a.localeCompare(b, undefined, { numeric: true });

/** Keeps the options sorted; textContent (never innerHTML), since ids come from producers. */
function addServerOption(serverId) {
  const option = document.createElement('option');
  option.value = serverId;
  option.textContent = serverId;
  const after = [...filterElement.options].slice(1).find((o) => byServerId(o.value, serverId) > 0);
  filterElement.insertBefore(option, after || null);
}

// ---- The wire: what each system sends and expects (the contract's tables) ---------------

/** Turns any message of either system into samples; unknown types are ignored. */
function onMessage(text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return;  // the systems only send JSON; a broken frame is not worth a crash
  }
  const list = (payload) => [].concat(payload ?? []);  // snapshot payloads: one, many, or null
  switch (message.type) {
    case 'metric.processed':                           // System 1, one per metric
      addSample(sampleFromMetric(message.payload));
      break;
    case 'metric.update':                              // System 2, one per metric
      addSample(sampleFromAggregate(message.payload));
      break;
    case 'tick':                                       // System 2, conflated per interval
      list(message.payload).forEach((a) => addSample(sampleFromAggregate(a)));
      break;
    case 'snapshot':
      list(message.payload).forEach((item) => addSample(state.system === 'system1'
        ? sampleFromMetric(item) : sampleFromAggregate(item)));
      break;
    case 'error':
      console.warn(`${state.system} says:`, message.message);
      break;
    default:
      break;  // acks, greetings, metric.ingested: nothing to draw
  }
}

/**
 * Tells the system which servers to push. System 1: subscribe. System 2: register again
 * as a dashboard, in tick mode, so it conflates to one message per 250 ms for us.
 */
function sendFilter() {
  const message = state.system === 'system1'
    ? { type: 'subscribe', serverId: state.filter }
    : { type: 'register', role: 'dashboard', serverId: state.filter,
        mode: 'tick', intervalMs: RENDER_INTERVAL_MS };
  send(message);
}

function send(message) {
  if (state.socket && state.socket.readyState === WebSocket.OPEN) {
    state.socket.send(JSON.stringify(message));
  }
}

// ---- Connection: connect, reconnect with backoff, show the state ------------------------

function setStatus(stateName, text) {
  statusElement.dataset.state = stateName;
  statusElement.textContent = text;
}

function connect() {
  const name = state.system === 'system1' ? 'System 1' : 'System 2';
  const url = state.config[state.system].wsUrl;
  setStatus('connecting', `${name}: connecting to ${url}…`);
  const socket = new WebSocket(url);
  state.socket = socket;
  socket.onopen = () => {
    state.reconnectAttempt = 0;
    setStatus('open', `${name}: connected`);
    sendFilter();
    send({ type: 'snapshot.request' });  // the latest of every server, so charts start at once
  };
  socket.onmessage = (event) => onMessage(event.data);
  socket.onclose = () => {
    if (state.socket !== socket) return;  // closed on purpose by a switch of system
    // Exponential backoff with jitter: a restarted server is not hit by every page at once.
    const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** state.reconnectAttempt++);
    const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    setStatus('retrying', `${name}: disconnected, retrying in ${(delay / 1000).toFixed(1)} s`);
    state.reconnectTimer = setTimeout(connect, delay);
  };
  // onerror is always followed by onclose, which does the work; the browser logs the cause.
}

/** Forgets the other system's servers: ids are only meaningful within one system. */
function switchSystem(system) {
  clearTimeout(state.reconnectTimer);
  const old = state.socket;
  state.socket = null;
  if (old) old.close(1000, 'switching system');
  state.system = system;
  state.filter = null;
  series.clear();
  filterElement.length = 1;  // keeps "All servers"
  state.dirty = true;
  history.replaceState(null, '', `?system=${system}`);  // a reload keeps the choice
  resetStats();
  connect();
}

// ---- Charts: redrawn on a timer, not per message ----------------------------------------

const CHART_SPECS = [
  { id: 'chart-cpu', gauges: ['cpu'], max: 100 },
  { id: 'chart-memory', gauges: ['memory'], max: 100 },
  { id: 'chart-disk', gauges: ['disk'], max: 100 },
  { id: 'chart-network', gauges: ['networkIn', 'networkOut'] },
];
let charts = [];  // CHART_SPECS with their Chart objects, made by start()

function makeChart(spec) {
  return new Chart(document.getElementById(spec.id), {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,          // 4 redraws a second: animations would never finish
      parsing: false,            // points are already {x, y}: skip Chart.js's parsing pass
      normalized: true,          // x values are sorted, which lets Chart.js skip a sort
      maintainAspectRatio: false,
      elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
      scales: {
        // A linear axis of epoch milliseconds: the time axis would need a date adapter.
        // An empty chart's axis runs from 0 to 1: no time worth printing there.
        x: { type: 'linear', ticks: { maxTicksLimit: 6,
          callback: (value) => (value > 1 ? new Date(value).toLocaleTimeString() : '') } },
        y: { min: 0, max: spec.max },
      },
      plugins: { legend: { labels: { boxWidth: 12 } } },
    },
  });
}

function render() {
  emptyState.hidden = series.size > 0;
  if (!state.dirty) return;
  state.dirty = false;
  const shown = state.filter ? [state.filter] : [...series.keys()].sort(byServerId);
  for (const { chart, gauges } of charts) {
    chart.data.datasets = shown.filter((id) => series.has(id)).flatMap((id) => gauges.map((gauge) => ({
      label: gauges.length > 1 ? `${id} ${gauge === 'networkIn' ? 'in' : 'out'}` : id,
      data: series.get(id).points[gauge].slice(),  // a copy: Chart.js keeps the array
      borderColor: series.get(id).color,
      backgroundColor: series.get(id).color,  // the legend's swatch
      borderDash: gauge === 'networkOut' ? [4, 3] : [],
    })));
    chart.update('none');
  }
}

// ---- The system's own figures: /stats every 2 s ----------------------------------------

/** Where each figure sits in each system's /stats JSON (System 1 has two documents). */
const STAT_PATHS = {
  system1: {
    statsUrl: { acceptedPerSecond: 'metrics.acceptedPerSecond', rejected: 'metrics.rejectedTotal',
                lag: 'stream.groupLag' },
    broadcasterStatsUrl: { dashboards: 'connections.dashboards', dropped: 'updates.dropped' },
  },
  system2: {
    statsUrl: { acceptedPerSecond: 'metrics.acceptedPerSecond', rejected: 'metrics.rejectedTotal',
                dashboards: 'connections.dashboards', dropped: 'updates.dropped' },
  },
};

/** Blanks the figures and hides those the chosen system does not report (lag: System 1). */
function resetStats() {
  const reported = Object.values(STAT_PATHS[state.system]).flatMap(Object.keys);
  document.querySelectorAll('#stats dd').forEach((dd) => {
    dd.textContent = '—';
    dd.parentElement.hidden = !reported.includes(dd.dataset.stat);
  });
}

async function pollStats() {
  const system = state.system;
  const failed = [];
  for (const [urlKey, figures] of Object.entries(STAT_PATHS[system])) {
    const url = state.config[system][urlKey];
    try {
      const response = await fetch(url, { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const stats = await response.json();
      if (system !== state.system) return;  // switched while waiting: drop the answer
      for (const [figure, path] of Object.entries(figures)) {
        const value = path.split('.').reduce((object, key) => object?.[key], stats);
        const shown = typeof value === 'number' ? Math.round(value * 10) / 10 : '—';
        document.querySelector(`#stats dd[data-stat="${figure}"]`).textContent = shown;
      }
    } catch {
      failed.push(url);  // the system is down or not started: say so, keep polling
    }
  }
  statsStatus.textContent = failed.length ? `cannot read ${failed.join(', ')}` : '';
}

// ---- Start ------------------------------------------------------------------------------

async function start() {
  if (typeof Chart === 'undefined') throw new Error('Chart.js did not load from /vendor/chart.umd.js');
  charts = CHART_SPECS.map((spec) => ({ ...spec, chart: makeChart(spec) }));
  const response = await fetch('/config.json', { cache: 'no-store' });
  state.config = await response.json();
  document.querySelector(`input[name="system"][value="${state.system}"]`).checked = true;
  document.querySelectorAll('input[name="system"]').forEach((radio) => {
    radio.addEventListener('change', () => switchSystem(radio.value));
  });
  filterElement.addEventListener('change', () => {
    state.filter = filterElement.value || null;
    state.dirty = true;
    sendFilter();
  });
  setInterval(render, RENDER_INTERVAL_MS);
  setInterval(pollStats, STATS_INTERVAL_MS);
  setInterval(() => send({ type: 'snapshot.request' }), DISCOVERY_INTERVAL_MS);
  resetStats();
  connect();
  pollStats();
}

start().catch((error) => {
  setStatus('error', `cannot start: ${error.message}`);
  console.error(error);
});
