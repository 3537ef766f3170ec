// An independent WebSocket load client for the cross-check (scripts/crosscheck-loadtest.sh):
// Node's `ws` package, not our code, sends System 2 producer metrics over N connections,
// each keeping W metrics in flight (a closed loop), and matches every metric.ack to its send
// by the id the ack echoes. After a warm-up it counts the acks of the measured window and
// prints one line of JSON: {"acks":..,"seconds":..,"perSecond":..,"p50Ms":..,"p99Ms":..,"errors":..}.
//
//   node scripts/ws-load.mjs URL CONNECTIONS IN_FLIGHT_EACH WARMUP_S SECONDS
//
// Run with NODE_PATH=lib/node/node_modules (scripts/ensure-tools.sh node-ws installs ws there).
import { createRequire } from 'node:module';
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
const latencies = [];
let acks = 0;
let errors = 0;
let nextId = 0;

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
    ws.on('open', () => { for (let i = 0; i < inFlight; i++) send(); resolve(ws); });
    ws.on('error', reject);
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
        send();
      } else if (message.type === 'error') {
        errors++;
      }
    });
  });
}

const sockets = await Promise.all(Array.from({ length: Number(connections) }, (_, n) => open(n)));
setTimeout(() => {
  latencies.sort((a, b) => a - b);
  const at = (p) => latencies.length ? latencies[Math.max(0, Math.ceil(p / 100 * latencies.length) - 1)] : NaN;
  console.log(JSON.stringify({ acks, seconds: Number(seconds), perSecond: acks / seconds,
    p50Ms: at(50), p99Ms: at(99), errors }));
  sockets.forEach((ws) => ws.close(1000));
  setTimeout(() => process.exit(0), 500);
}, measureTo - performance.now() + 50);
