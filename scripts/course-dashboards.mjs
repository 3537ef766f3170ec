// Dashboards for the course scenario (scripts/bench-course-scenario.sh, issue 12): Node's `ws`
// package, not our code, opens FILTERED dashboards, each following one server (server-1,
// server-2, ... spread over SERVERS), and TICK dashboards following the whole fleet in tick
// mode (250 ms) - on System 2 by default, or on System 1's broadcaster with SYSTEM=1 (there a
// dashboard subscribes, and an update is a metric.processed). Every update's delay is now minus the metric's own timestamp (the
// senders stamp it when they make the metric; same machine, same clock). After WARMUP_S it
// measures for SECONDS and prints one line of JSON:
//   {"filtered":{"dashboards","updates","p50Ms","p99Ms","maxMs","p99MsPer10s":[...]},
//    "tick":{"dashboards","ticks","aggregates","p50Ms","p99Ms"},"closes":{...},"errors":N}
// where a tick's delay is that of its newest sample, and "aggregates" counts the servers'
// updates the ticks carried (one tick holds many).
//
//   node scripts/course-dashboards.mjs ws://127.0.0.1:PORT FILTERED TICK SERVERS WARMUP_S SECONDS
//
// Run from the project root (scripts/ensure-tools.sh node-ws installs ws into lib/node).
// Loopback only, bounded: every connection is closed when it exits.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.resolve('lib/node/node_modules') + '/');
const WebSocket = require('ws');

const [url, filteredText, tickText, serversText, warmupText, secondsText] = process.argv.slice(2);
const filtered = Number(filteredText);
const tick = Number(tickText);
const servers = Number(serversText);
const warmupS = Number(warmupText);
const seconds = Number(secondsText);
if (!url || !url.startsWith('ws://127.0.0.1:') || !(filtered >= 0) || !(tick >= 0) || !(servers > 0)
    || !(warmupS >= 0) || !(seconds > 0)) {
  console.error('usage: node scripts/course-dashboards.mjs ws://127.0.0.1:PORT FILTERED TICK SERVERS WARMUP_S SECONDS');
  process.exit(64);
}

// What a dashboard says to follow one server or the fleet, and what an update is called.
const system1 = process.env.SYSTEM === '1';
const UPDATE = system1 ? 'metric.processed' : 'metric.update';
const followServer = (serverId) => system1
  ? { type: 'subscribe', serverId }
  : { type: 'register', role: 'dashboard', serverId };
const followFleet = system1
  ? { type: 'subscribe', serverId: null, mode: 'tick', intervalMs: 250 }
  : { type: 'register', role: 'dashboard', mode: 'tick', intervalMs: 250 };

const start = performance.now();
const measureFrom = start + warmupS * 1000;
const measureTo = measureFrom + seconds * 1000;
const filteredDelays = [];
const tickDelays = [];
let tickAggregates = 0;  // the aggregates the ticks carried: each is one server's update
const windows = [];  // filtered delays per 10 s window, to see whether the tail stays flat
const closes = {};
let errors = 0;
let ending = false;

function measuring() {
  const now = performance.now();
  return now >= measureFrom && now < measureTo;
}

function onUpdate(payload) {
  if (!measuring() || !payload) return;
  const delay = Date.now() - payload.timestamp;
  filteredDelays.push(delay);
  const w = Math.floor((performance.now() - measureFrom) / 10_000);
  (windows[w] ||= []).push(delay);
}

function onTick(payload) {
  if (!measuring() || !Array.isArray(payload) || payload.length === 0) return;
  let newest = 0;
  for (const aggregate of payload) newest = Math.max(newest, aggregate.timestamp);
  tickAggregates += payload.length;
  tickDelays.push(Date.now() - newest);
}

function open(hello) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('open', () => { ws.send(JSON.stringify(hello)); resolve(ws); });
    ws.on('message', (data) => {
      const message = JSON.parse(data);
      if (message.type === UPDATE) onUpdate(message.payload);
      else if (message.type === 'tick') onTick(message.payload);
      else if (message.type === 'error') errors++;
    });
    ws.on('close', (code) => { if (!ending) closes[code] = (closes[code] || 0) + 1; });
    ws.on('error', () => { errors++; resolve(ws); });
  });
}

const sockets = [];
for (let i = 0; i < filtered; i += 100) {  // a hundred at a time: no burst of SYNs
  const batch = [];
  for (let j = i; j < Math.min(filtered, i + 100); j++) {
    const server = 'server-' + (1 + Math.floor(j * servers / Math.max(filtered, 1)));
    batch.push(open(followServer(server)));
  }
  sockets.push(...await Promise.all(batch));
}
for (let i = 0; i < tick; i++) {
  sockets.push(await open(followFleet));
}

function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p / 100 * sorted.length) - 1)];
}

setTimeout(() => {
  ending = true;
  console.log(JSON.stringify({
    filtered: { dashboards: filtered, updates: filteredDelays.length, p50Ms: percentile(filteredDelays, 50),
      p99Ms: percentile(filteredDelays, 99), maxMs: percentile(filteredDelays, 100),
      p99MsPer10s: windows.map((w) => percentile(w || [], 99)) },
    tick: { dashboards: tick, ticks: tickDelays.length, aggregates: tickAggregates,
      p50Ms: percentile(tickDelays, 50),
      p99Ms: percentile(tickDelays, 99) },
    closes, errors }));
  sockets.forEach((ws) => ws.terminate());
  // Still here when the script reads this process's CPU and memory at the window's end: a
  // process with no dashboard to open reaches this point first and must not be gone.
  setTimeout(() => process.exit(0), 3000);
}, measureTo - performance.now() + 50);
