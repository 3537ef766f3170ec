// Idle connections held by an independent client (Node's `ws` package, not our code), for
// scripts/bench-idle-connections.sh: opens N WebSocket connections, a few hundred at a time,
// optionally sends each one message (a producer's register), and holds them open. Once all
// are open it prints {"open":N,"failed":F,"openSeconds":S} on one line, then - while all N are
// still held - times a new client: connect, send PROBE, wait for the first answer; prints
// {"probeMs":..}. Then holds until it reads a line on stdin (or HOLD_S seconds), closes all
// and exits.
//
//   node scripts/idle-connections.mjs URL COUNT HOLD_S [HELLO] [PROBE]
//
// Loopback only, bounded: every connection is closed when it exits.
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(path.resolve('lib/node/node_modules') + '/');
const WebSocket = require('ws');

const [url, countText, holdText, hello, probe] = process.argv.slice(2);
const count = Number(countText);
const holdS = Number(holdText);
if (!url || !(count > 0) || !(holdS > 0) || !url.startsWith('ws://127.0.0.1:')) {
  console.error('usage: node scripts/idle-connections.mjs ws://127.0.0.1:PORT COUNT HOLD_S [HELLO] [PROBE]');
  process.exit(64);
}
const BATCH = 200; // connections opened at once: a burst of 10,000 SYNs overflows any backlog

const sockets = [];
let failed = 0;

function open() {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('open', () => {
      if (hello) ws.send(hello);
      sockets.push(ws);
      resolve();
    });
    ws.on('error', () => { failed++; resolve(); });
  });
}

function timeProbe() {
  return new Promise((resolve) => {
    const began = performance.now();
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('open', () => { if (probe) ws.send(probe); });
    ws.on('message', () => { resolve(performance.now() - began); ws.terminate(); });
    ws.on('error', () => resolve(-1));
    setTimeout(() => { resolve(-1); ws.terminate(); }, 10_000);
  });
}

const began = performance.now();
for (let i = 0; i < count; i += BATCH) {
  await Promise.all(Array.from({ length: Math.min(BATCH, count - i) }, open));
}
console.log(JSON.stringify({ open: sockets.length, failed, openSeconds: (performance.now() - began) / 1000 }));
const probes = [];
for (let i = 0; i < 5; i++) probes.push(await timeProbe());
console.log(JSON.stringify({ probeMs: probes.map((ms) => Math.round(ms * 10) / 10) }));

await new Promise((resolve) => {
  const timer = setTimeout(resolve, holdS * 1000);
  process.stdin.once('data', () => { clearTimeout(timer); resolve(); });
});
for (const ws of sockets) ws.terminate();
process.exit(0);
