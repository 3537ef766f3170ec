#!/usr/bin/env node
// Interop check: Node's `ws` client (version 8) against our WebSocket server.
//
// Run by NodeWsInteropTest against an echo server:
//     NODE_PATH=lib/node/node_modules node test/interop/node_client.js ws://127.0.0.1:PORT/
// Prints one "ok <check>" line per check and "PASS" at the end (exit 0); on the first
// failure prints "FAIL <check>: <why>" and exits 1. Install ws with
//     npm install --prefix lib/node ws@8
'use strict';

const WebSocket = require('ws');

const url = process.argv[2];
if (!url) {
    console.error('usage: node_client.js ws://HOST:PORT/');
    process.exit(2);
}
setTimeout(() => fail('timeout', 'not finished within 20 s'), 20000).unref();

function fail(name, why) {
    console.log(`FAIL ${name}: ${why}`);
    process.exit(1);
}

function check(name, condition, detail) {
    if (!condition) {
        fail(name, detail || 'unexpected answer');
    }
    console.log(`ok ${name}`);
}

/** A connection whose next message, pong and close can be awaited one at a time. */
function connect() {
    return new Promise((resolve, reject) => {
        const ws = new WebSocket(url, { maxPayload: 1 << 20 });
        const messages = [];
        const waiters = [];
        ws.on('message', (data, isBinary) => {
            const message = isBinary ? data : data.toString('utf8');
            const waiter = waiters.shift();
            if (waiter) waiter(message); else messages.push(message);
        });
        ws.next = () => new Promise((res) => {
            if (messages.length) res(messages.shift()); else waiters.push(res);
        });
        ws.closed = new Promise((res) => ws.on('close', (code, reason) => res([code, reason.toString()])));
        ws.on('open', () => resolve(ws));
        ws.on('error', reject);
    });
}

async function main() {
    // ws offers permessage-deflate; the server does not accept it, and that must work.
    const ws = await connect();

    ws.send('héllo from node');
    check('echo-text', (await ws.next()) === 'héllo from node');

    const big = 'y'.repeat(100000); // over 65,535 bytes: the 64-bit extended length
    ws.send(big);
    check('echo-large-text', (await ws.next()) === big);

    ws.send('frag', { fin: false });
    ws.send('mented ', { fin: false });
    ws.send('message', { fin: true });
    check('echo-fragmented-text', (await ws.next()) === 'fragmented message');

    const data = Buffer.from([...Array(256).keys()]);
    ws.send(data);
    const echoed = await ws.next();
    check('echo-binary', Buffer.isBuffer(echoed) && echoed.equals(data));

    const pong = new Promise((res) => ws.once('pong', res));
    ws.ping(Buffer.from('node'));
    check('ping-pong', (await pong).toString() === 'node');

    ws.close(4001, 'node bye');
    const [code] = await ws.closed;
    check('close-code-round-trip', code === 4001, `server answered ${code}`);

    const second = await connect();
    second.send('close:1000:server bye');
    const [serverCode, serverReason] = await second.closed;
    check('server-initiated-close', serverCode === 1000 && serverReason === 'server bye',
        `got ${serverCode} ${serverReason}`);

    console.log('PASS');
    process.exit(0);
}

main().catch((e) => fail('error', e && e.message ? e.message : String(e)));
