#!/usr/bin/env bash
# What an idle WebSocket connection costs each system, measured from outside: a freshly
# started System 2 and System 1 (its broadcaster port), then COUNT connections opened and held
# by Node's `ws` package (scripts/idle-connections.mjs, not our code). Reports the growth of
# the JVM's resident memory as `ps` sees it, per connection, and how long a new client waits
# for its first answer while COUNT are held. The JVM runs with the flags `make run` uses
# (none: JAVA_OPTS as you set it) - no -Xms or pre-touching that would hide growth. RSS
# growth also counts garbage the connections' handshakes left in heap pages touched for the
# first time, so the live heap per connection (after a full GC, `jcmd GC.run`) is printed too:
# that is what 10,000 or 100,000 connections would cost once the heap has warmed up.
#
#   scripts/bench-idle-connections.sh                 # 5,000 per system, 3 runs each
#   COUNT=10000 RUNS=1 scripts/bench-idle-connections.sh
#
# Loopback only; everything started here is stopped on exit, Ctrl-C or kill.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

COUNT="${COUNT:-5000}"
RUNS="${RUNS:-3}"
SETTLE_S=5
# Each connection is a file descriptor on both sides; raise the soft limit as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((COUNT + 200)) ]; then
    echo "bench-idle-connections.sh: ulimit -n is $(ulimit -n); COUNT=$COUNT needs more" >&2
    exit 64
fi
REDIS_URL= scripts/ensure-tools.sh redis node-ws
./build.sh build >/dev/null
trap stop_started EXIT
LOGS="$(mktemp -d "${TMPDIR:-/tmp}/bench-idle.XXXXXX")"

rss_kb() { ps -o rss= -p "$1" | tr -d ' '; }
JCMD="$(./build.sh java-home)/bin/jcmd"
# live_kb PID: the heap in use right after a full collection, in KB
live_kb() {
    "$JCMD" "$1" GC.run >/dev/null
    "$JCMD" "$1" GC.heap_info | grep -o 'used [0-9]*K' | head -1 | tr -dc 0-9
}

# measure NAME PID URL HELLO PROBE: one run against a freshly started system
measure() {
    local name="$1" pid="$2" url="$3" hello="$4" probe="$5" before after fifo line probes live0 live1
    sleep "$SETTLE_S"
    before="$(rss_kb "$pid")"
    live0="$(live_kb "$pid")"
    fifo="$LOGS/hold.$name"
    rm -f "$fifo" && mkfifo "$fifo"
    node scripts/idle-connections.mjs "$url" "$COUNT" 600 "$hello" "$probe" <"$fifo" >"$LOGS/node.$name" &
    local node=$!
    exec 7>"$fifo"   # holds the client's stdin open; a line on it lets the client go
    for _ in $(seq 1 600); do grep -q probeMs "$LOGS/node.$name" 2>/dev/null && break; sleep 0.5; done
    sleep "$SETTLE_S"
    after="$(rss_kb "$pid")"
    live1="$(live_kb "$pid")"
    echo >&7; exec 7>&-
    wait "$node" || true
    line="$(grep '"open"' "$LOGS/node.$name")"
    probes="$(grep -o '"probeMs":\[[^]]*\]' "$LOGS/node.$name")"
    echo "$name  rss ${before} KB -> ${after} KB = $(( (after - before) / COUNT )) KB per connection;" \
         "live heap ${live0} KB -> ${live1} KB = $(awk -v a="$live0" -v b="$live1" -v n="$COUNT" 'BEGIN { printf "%.1f", (b - a) / n }') KB per connection  $line  $probes"
}

echo "bench-idle-connections.sh: $COUNT idle connections, $RUNS runs; CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); JAVA_OPTS='${JAVA_OPTS:-}'"
for run in $(seq 1 "$RUNS"); do
    read -r ws <<<"$(free_ports 1)"
    start_system2 "$ws" "$LOGS/system2.log"
    measure "system2-producers" "$SYSTEM2_PID" "ws://127.0.0.1:$ws" \
        '{"type":"register","role":"producer","serverId":"idle"}' '{"type":"snapshot.request","serverId":"none"}'
    stop_started

    read -r http http2 bws redis <<<"$(free_ports 4)"
    start_redis "$redis" "$LOGS/redis.log"
    start_system1 "$http $http2 $bws $redis" "$LOGS/system1.log"
    measure "system1-dashboards" "$SYSTEM1_PID" "ws://127.0.0.1:$bws" \
        '{"type":"subscribe","serverId":"idle"}' '{"type":"subscribe","serverId":"none"}'
    stop_started
done
