#!/usr/bin/env python3
"""Interop check: Python's `websockets` (asyncio client) against our WebSocket server.

Run by PythonWebsocketsInteropTest against an echo server:
    python3 test/interop/python_client.py ws://127.0.0.1:PORT/
Prints one "ok <check>" line per check and "PASS" at the end (exit 0); on the first
failure prints "FAIL <check>: <why>" and exits 1. Needs `websockets` 10 or newer
(Debian: apt-get install python3-websockets; or pip install websockets).
"""
import asyncio
import sys

import websockets


def check(name, condition, detail=""):
    if not condition:
        raise AssertionError(f"{name}: {detail}")
    print(f"ok {name}", flush=True)


async def run(url):
    # The client offers permessage-deflate; the server does not accept it, and that must work.
    async with websockets.connect(url, max_size=2**20, open_timeout=5, close_timeout=5) as ws:
        await ws.send("héllo from python")
        check("echo-text", await ws.recv() == "héllo from python")

        big = "x" * 100_000  # over 65,535 bytes: the 64-bit extended length
        await ws.send(big)
        check("echo-large-text", await ws.recv() == big)

        await ws.send(["frag", "mented ", "message"])  # an iterable goes out as fragments
        check("echo-fragmented-text", await ws.recv() == "fragmented message")

        data = bytes(range(256))
        await ws.send(data)
        check("echo-binary", await ws.recv() == data)

        pong = await ws.ping(b"python")
        await asyncio.wait_for(pong, 5)
        check("ping-pong", True)

        await ws.close(code=4001, reason="python bye")
        check("close-code-round-trip", ws.close_code == 4001, f"server answered {ws.close_code}")

    async with websockets.connect(url, open_timeout=5, close_timeout=5) as ws:
        await ws.send("close:1000:server bye")
        try:
            await ws.recv()
            check("server-initiated-close", False, "a message instead of a close")
        except websockets.exceptions.ConnectionClosedOK as closed:
            check("server-initiated-close",
                  closed.rcvd is not None and (closed.rcvd.code, closed.rcvd.reason) == (1000, "server bye"),
                  f"got {closed.rcvd}")


def main():
    if len(sys.argv) != 2:
        print("usage: python_client.py ws://HOST:PORT/", file=sys.stderr)
        return 2
    try:
        asyncio.run(asyncio.wait_for(run(sys.argv[1]), 20))
    except Exception as e:  # one line for the Java test to show, not a traceback
        print(f"FAIL {type(e).__name__}: {e}", flush=True)
        return 1
    print("PASS", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
