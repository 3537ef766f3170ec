// An independent WebSocket load client for the cross-check (scripts/crosscheck-loadtest.sh):
// Node's `ws` package, not our code, sends System 2 producer metrics over N connections,
// each keeping W metrics in flight (a closed loop), and matches every metric.ack to its send
// by the id the ack echoes. After a warm-up it counts the acks of the measured window and
// prints one line of JSON: {"acks":..,"seconds":..,"perSecond":..,"p50Ms":..,"p99Ms":..,"errors":..}.
//
//   node scripts/ws-load.mjs URL CONNECTIONS IN_FLIGHT_EACH WARMUP_S SECONDS
//
// With SERVER_PIDS=PID[,PID] (and CLK_TCK, default 100) in the environment it also reads those
// processes' CPU time (utime + stime, /proc/PID/stat) when the measured window opens and when
// it closes, and adds "serverCpuSeconds": the server's cost over exactly the window whose acks
// are counted, the warm-up left out (scripts/bench-vs-peers.sh).
//
// With RATE=N in the environment the load is paced instead (an open model, the fault
// campaign's never-reading-dashboards scenario): N metrics per second over all connections,
// sent on a 10 ms tick whether or not the acks came back, IN_FLIGHT_EACH ignored; latency is
// still send to ack. Either way the line also carries "closes" ({"1008":2}: the closes the
// client did not ask for, by code).
//
// Run from the project root (scripts/ensure-tools.sh node-ws installs ws into lib/node).
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(path.resolve('lib/node/node_modules') + '/');
const WebSocket = require('ws');

const [url, connections, inFlight, warmupS, seconds] = process.argv.slice(2);
if (!url || !(connections > 0) || !(inFlight > 0) || !(warmupS >= 0) || !(seconds > 0)) {
  console.error('usage: node scripts/ws-load.mjs URL CONNECTIONS IN_FLIGHT_EACH WARMUP_S SECONDS');
  process.exit(64);
}

const start = performance.now();
const measureFrom = start + warmupS * 1000;
const measureTo = measureFrom + seconds * 1000;
const serverPids = (process.env.SERVER_PIDS || '').split(',').filter((pid) => pid !== '');
const clkTck = Number(process.env.CLK_TCK || 100);
const serverCpu = {};

function cpuSecondsOf(pids) {  // fields 14 and 15 of /proc/PID/stat, counted after the name's ')'
  let ticks = 0;
  for (const pid of pids) {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / clkTck;
}

if (serverPids.length > 0) {
  setTimeout(() => { serverCpu.from = cpuSecondsOf(serverPids); }, measureFrom - start);
  setTimeout(() => { serverCpu.to = cpuSecondsOf(serverPids); }, measureTo - start);
}
const latencies = [];
const closes = {};
const rate = Number(process.env.RATE || 0);
let acks = 0;
let errors = 0;
let nextId = 0;
let ending = false;

function metric(id) {
  const server = 'xcheck-' + (id % 1000);
  return JSON.stringify({ type: 'metric', id, serverId: server, timestamp: Date.now(),
    metrics: { cpu: 40 + (id % 50), memory: 60, disk: 70, network: { in: id % 5000, out: id % 3000 } } });
}

function open(n) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const sentAt = new Map();
    const send = () => {
      if (performance.now() >= measureTo) return;
      const id = nextId++;
      sentAt.set(id, performance.now());
      ws.send(metric(id));
    };
    ws.on('open', () => {
      if (rate > 0) {
        paceOn(send, n);
      } else {
        for (let i = 0; i < inFlight; i++) send();
      }
      resolve(ws);
    });
    ws.on('error', reject);
    ws.on('close', (code) => {
      if (!ending) closes[code] = (closes[code] || 0) + 1;
    });
    ws.on('message', (data) => {
      const message = JSON.parse(data);
      if (message.type === 'metric.ack' && sentAt.has(message.id)) {
        const now = performance.now();
        const began = sentAt.get(message.id);
        sentAt.delete(message.id);
        if (began >= measureFrom && now < measureTo) {
          acks++;
          latencies.push(now - began);
        }
        if (rate === 0) send();
      } else if (message.type === 'error') {
        errors++;
      }
    });
  });
}

// Open model: this connection's share of RATE, due on a 10 ms tick; a tick that comes late
// sends what fell due meanwhile, so the rate holds even when the event loop is busy.
function paceOn(send, n) {
  const perMs = rate / Number(connections) / 1000;
  const began = performance.now();
  let sent = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    if (now >= measureTo) { clearInterval(timer); return; }
    for (const due = Math.floor((now - began) * perMs); sent < due; sent++) send();
  }, 10);
}

const sockets = await Promise.all(Array.from({ length: Number(connections) }, (_, n) => open(n)));
setTimeout(() => {
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies.length ? latencies[Math.max(0, Math.ceil(p / 100 * latencies.length) - 1)] : NaN;
  ending = true;
  const line = { acks, seconds: Number(seconds), perSecond: acks / seconds,
    p50Ms: at(50), p99Ms: at(99), errors, closes };
  if (serverPids.length > 0) line.serverCpuSeconds = serverCpu.to - serverCpu.from;
  console.log(JSON.stringify(line));
  sockets.forEach((ws) => ws.close(1000));
  setTimeout(() => process.exit(0), 500);
}, measureTo - performance.now() + 50);
