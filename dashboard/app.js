// The dashboard page's entry: it reads /config.json, opens one WebSocket to the chosen
// system and wires the parts together. Fleet view by default - how many servers report,
// percentile bands, a heat map, the top 20 - and one server's view on demand, named in the
// address (#system=2&server=server-42). Each part is a module of its own, one concern each:
//
//   url-state     the view in the address        connection   reconnect, backoff, snapshot
//   wire          both systems' messages         fleet        bounded state, typed arrays
//   percentiles   fleet bands                    heatmap      canvas, colour-blind-safe scale
//   top-table     the 20 highest                 server-view  one server's charts
//   search        type-ahead over the fleet      delay-meter  messages/s and true delay
//   stats-panel   the system's /stats
//
// Messages only change state and ask for a frame; drawing happens at most once per
// animation frame, and not more than every MIN_FRAME_GAP_MS, whatever the message rate.
//
// Lesson: lessons/15-the-dashboard-page.md. No build step and no library but Chart.js:
// what you read here is exactly what the browser runs. In the browser's console,
// `dashboard` holds the parts, to look at (dashboard.fleet.size).
import { viewFromLocation, hashOf } from './url-state.js';
import { Connection } from './connection.js';
import { decode, followMessage, snapshotRequest, windowKeys } from './wire.js';
import { Fleet, GAUGES } from './fleet.js';
import { FleetBands } from './percentiles.js';
import { BandCharts } from './band-charts.js';
import { HeatMap } from './heatmap.js';
import { TopTable } from './top-table.js';
import { ServerView } from './server-view.js';
import { ServerSearch } from './search.js';
import { DelayMeter } from './delay-meter.js';
import { StatsPanel } from './stats-panel.js';
import { formatCount } from './format.js';

const STALE_MS = 60000;           // a server silent this long no longer counts as reporting
const MIN_FRAME_GAP_MS = 100;     // at most 10 redraws a second: enough for the eye
const SECOND_MS = 1000;           // bands, live figures, the sliding axis
const STATS_INTERVAL_MS = 2000;
const NAMES = { system1: 'System 1', system2: 'System 2' };

const $ = (id) => document.getElementById(id);

const fleet = new Fleet();
const bands = new FleetBands();
const meter = new DelayMeter();
const received = {};              // message type -> count, for the console and the tests
let view = null;                  // what is shown: { system, server, metric, window }
let config = null;
let parts = null;                 // the drawing parts, made once Chart.js is there

// ---- Messages: state changes only ------------------------------------------------------

function onMessage(text) {
  let message;
  try {
    message = JSON.parse(text);
  } catch {
    return;  // the systems only send JSON; a broken frame is not worth a crash
  }
  received[message.type] = (received[message.type] ?? 0) + 1;
  if (message.type === 'error') {
    console.warn(`${NAMES[view.system]} says:`, message.message);
    return;
  }
  if (view.system === 'system2') learnWindows(message.payload);
  const now = Date.now();
  const { live, snapshot } = decode(message, view.system, view.window);
  meter.message(now, live.length);
  for (const sample of live) {
    fleet.add(sample, now);
    meter.delay(now, sample.timestamp);
  }
  for (const sample of snapshot) fleet.add(sample, now);
  if (live.length > 0 || snapshot.length > 0) requestDraw();
}

/** System 2's window lengths come with its data: the chooser is built from the first. */
function learnWindows(payload) {
  const chooser = $('window-chooser');
  const first = [].concat(payload ?? [])[0];
  if (chooser.dataset.built || !first?.windows) return;
  chooser.dataset.built = 'yes';
  const keys = windowKeys(first);
  for (const key of keys) {
    const label = document.createElement('label');
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = 'window';
    radio.value = key;
    radio.checked = key === (view.window ?? keys[0]);
    radio.addEventListener('change', () => go({ ...view, window: key }));
    label.append(radio, ` ${Number(key) / 1000} s`);
    chooser.append(label);
  }
  chooser.hidden = view.system !== 'system2';
}

// ---- The view: what the address says ----------------------------------------------------

/** Moves to a view by changing the address; hashchange then applies it. */
function go(next) {
  const hash = hashOf(next);
  if (location.hash !== hash) location.hash = hash;
  else apply(next);
}

function linkTo(serverId) {
  return hashOf({ ...view, server: serverId });
}

/** Makes the page show `next`, telling the system only what changed. */
function apply(next) {
  const previous = view;
  view = next;
  const gauge = Math.max(0, GAUGES.indexOf(next.metric ?? 'cpu'));
  parts.heatmap.setGauge(gauge);
  $('heatmap-metric').value = GAUGES[gauge];
  $('fleet-view').hidden = next.server !== null;
  $('server-view').hidden = next.server === null;
  $('back-to-fleet').setAttribute('href', hashOf({ ...next, server: null }));
  if (next.server !== null) parts.serverView.open(next.server);
  const radios = [...document.querySelectorAll('#window-chooser input')];
  const chosen = next.window ?? radios[0]?.value;  // no choice: the shortest window
  radios.forEach((radio) => { radio.checked = radio.value === chosen; });

  if (previous === null || previous.system !== next.system) {
    startSystem(next.system);
  } else {
    if (previous.window !== next.window) fleet.forgetHistory();
    if (previous.server !== next.server || previous.window !== next.window) follow(next);
  }
  requestDraw();
}

/** Forgets the other system's servers (ids mean something within one system only). */
function startSystem(system) {
  fleet.clear();
  bands.clear();
  meter.clear();
  document.querySelector(`input[name="system"][value="${system}"]`).checked = true;
  document.querySelectorAll('#empty-state [data-system]').forEach((p) => {
    p.hidden = p.dataset.system !== system;
  });
  const chooser = $('window-chooser');
  chooser.hidden = true;
  chooser.replaceChildren(chooser.querySelector('legend'));
  delete chooser.dataset.built;
  parts.stats.reset(system);
  parts.connection.open(config[system].wsUrl, NAMES[system]);
  parts.stats.poll();
}

/**
 * What the system should push, and the latest it knows: the filter travels to the system
 * (never filtered here), so an opened server costs the page one server's traffic. Going
 * back to the fleet asks for a snapshot, since the fleet went unheard meanwhile; opening a
 * server on System 1 does not (its snapshot is always every server, and we have it).
 */
function follow(current) {
  parts.connection.send(followMessage(current.system, current.server));
  if (current.server === null || current.system === 'system2') {
    parts.connection.send(snapshotRequest(current.system, current.server));
  }
}

// ---- Drawing: at most once per animation frame, and only when something changed ------

let framePending = false;
let lastDraw = 0;

function requestDraw() {
  if (framePending) return;
  framePending = true;
  requestAnimationFrame(frame);
}

function frame() {
  const wait = lastDraw + MIN_FRAME_GAP_MS - performance.now();
  if (wait > 0) {  // drew very recently: come back on the first frame after the gap
    setTimeout(() => requestAnimationFrame(frame), wait);
    return;
  }
  framePending = false;
  lastDraw = performance.now();
  draw(Date.now());
}

function draw(now) {
  $('empty-state').hidden = fleet.size > 0;
  if (view.server !== null) {
    parts.serverView.draw(now);
    return;
  }
  const reporting = fleet.reportingCount(now, STALE_MS);
  const count = $('reporting-count');
  if (count.dataset.count !== String(reporting)) {  // unchanged text: no DOM work
    count.dataset.count = String(reporting);
    count.textContent = formatCount(reporting);
  }
  const ignored = $('ignored-note');
  ignored.hidden = fleet.ignoredCount === 0;
  if (!ignored.hidden) {
    ignored.textContent = `(${formatCount(fleet.ignoredCount)} more ignored: the page keeps `
      + `at most ${formatCount(fleet.maxServers)} servers)`;
  }
  parts.heatmap.draw(now);
  parts.table.draw((i) => now - fleet.receivedAt[i] <= STALE_MS);
}

/** Once a second: a point of every band, the page's own figures, and a redraw. */
function everySecond() {
  const now = Date.now();
  if (view.server === null && bands.sample(fleet, now, STALE_MS)) parts.bandCharts.draw();
  const live = meter.summary(now);
  const ms = (value) => (Number.isNaN(value) ? '—' : `${Math.round(value)} ms`);
  const shown = { messagesPerSecond: Math.round(live.messagesPerSecond),
                  updatesPerSecond: formatCount(Math.round(live.updatesPerSecond)),
                  p50: ms(live.p50), p95: ms(live.p95) };
  document.querySelectorAll('#live dd[data-live]').forEach((dd) => {
    dd.textContent = shown[dd.dataset.live];
  });
  $('delay-samples').textContent = formatCount(live.samples);
  requestDraw();  // the clock moved: silent servers turn grey, the server axis slides
}

function setStatus(state, text) {
  const status = $('connection-status');
  status.dataset.state = state;
  status.textContent = text;
}

// ---- Start ------------------------------------------------------------------------------

async function start() {
  if (typeof Chart === 'undefined') throw new Error('Chart.js did not load from /vendor/chart.umd.js');
  const response = await fetch('/config.json', { cache: 'no-store' });
  config = await response.json();
  const open = (serverId) => go({ ...view, server: serverId });
  parts = {
    connection: new Connection({ onOpen: () => follow(view), onMessage, onStatus: setStatus }),
    stats: new StatsPanel({ panel: $('stats'), status: $('stats-status'), config }),
    bandCharts: new BandCharts({ cpu: $('band-cpu'), memory: $('band-memory'), disk: $('band-disk'),
                                 network: $('band-network') }, bands),
    heatmap: new HeatMap({ canvas: $('heatmap'), legend: $('heatmap-legend'),
                           legendMax: $('heatmap-legend-max'), tooltip: $('tooltip'),
                           fleet, staleMs: STALE_MS, onOpen: open }),
    table: new TopTable({ table: $('top-table'), fleet, linkTo,
                          onSort: (gauge) => { parts.table.setGauge(gauge); requestDraw(); } }),
    serverView: new ServerView({ title: $('server-title'), figures: $('server-figures'),
                                 percentCanvas: $('server-percent'),
                                 networkCanvas: $('server-network'), fleet }),
    search: new ServerSearch({ input: $('server-search'), list: $('server-matches'), onOpen: open,
                               serverIds: () => fleet.sortedIndexes().map((i) => fleet.ids[i]) }),
  };
  document.querySelectorAll('input[name="system"]').forEach((radio) => {
    radio.addEventListener('change', () => go({ system: radio.value, server: null,
                                                metric: view.metric, window: null }));
  });
  $('heatmap-metric').addEventListener('change', (event) => go({ ...view, metric: event.target.value }));
  window.addEventListener('hashchange', () => apply(viewFromLocation(location)));

  const first = viewFromLocation(location);
  if (location.search) {
    // The old address form (?system=system2) still works; the address now says it as a hash.
    history.replaceState(null, '', location.pathname + hashOf(first));
  }
  window.dashboard = { fleet, bands, meter, received, parts, view: () => view };
  apply(first);
  setInterval(everySecond, SECOND_MS);
  setInterval(() => parts.stats.poll(), STATS_INTERVAL_MS);
}

start().catch((error) => {
  setStatus('error', `cannot start: ${error.message}`);
  console.error(error);
});
