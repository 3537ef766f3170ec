#!/usr/bin/env bash
# What an idle WebSocket connection costs each system, measured from outside and against a
# reference in the same run: a freshly started Java-WebSocket 1.6 server (the peer issue 12
# names, scripts/bench/JavaWebSocketAckServer.java), System 2, and System 1 (its broadcaster
# port), each with COUNT connections opened and held
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
    local rss_each live_each
    rss_each="$(awk -v a="$before" -v b="$after" -v n="$COUNT" 'BEGIN { printf "%.1f", (b - a) / n }')"
    live_each="$(awk -v a="$live0" -v b="$live1" -v n="$COUNT" 'BEGIN { printf "%.1f", (b - a) / n }')"
    RSS_EACH[$name]+="$rss_each " LIVE_EACH[$name]+="$live_each "
    echo "$name  rss ${before} KB -> ${after} KB = $rss_each KB per connection;" \
         "live heap ${live0} KB -> ${live1} KB = $live_each KB per connection  $line  $probes"
}

declare -A RSS_EACH=() LIVE_EACH=()   # name -> one figure per run, space-separated
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

echo "bench-idle-connections.sh: $COUNT idle connections, $RUNS runs; CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); JAVA_OPTS='${JAVA_OPTS:-}'"
BENCH_CLASSPATH="$(./build.sh classpath bench)"   # fetches Java-WebSocket (needed-for bench) once
HELLO='{"type":"register","role":"producer","serverId":"idle"}'
for run in $(seq 1 "$RUNS"); do
    read -r ref <<<"$(free_ports 1)"
    start_reference "$ref" "$LOGS/java-websocket.log" scripts/bench/JavaWebSocketAckServer.java "$BENCH_CLASSPATH"
    measure "java-websocket" "$REFERENCE_PID" "ws://127.0.0.1:$ref" "$HELLO" \
        '{"type":"metric","serverId":"probe","timestamp":1,"metrics":{}}'
    stop_reference

    read -r ws <<<"$(free_ports 1)"
    start_system2 "$ws" "$LOGS/system2.log"
    measure "system2-producers" "$SYSTEM2_PID" "ws://127.0.0.1:$ws" "$HELLO" \
        '{"type":"snapshot.request","serverId":"none"}'
    stop_started

    read -r http http2 bws redis <<<"$(free_ports 4)"
    start_redis "$redis" "$LOGS/redis.log"
    start_system1 "$http $http2 $bws $redis" "$LOGS/system1.log"
    measure "system1-dashboards" "$SYSTEM1_PID" "ws://127.0.0.1:$bws" \
        '{"type":"subscribe","serverId":"idle"}' '{"type":"subscribe","serverId":"none"}'
    stop_started
done

echo "== medians of $RUNS run(s), per idle connection; ratios to Java-WebSocket measured in the same runs"
ref_rss="$(median <<<"${RSS_EACH[java-websocket]}")" ref_live="$(median <<<"${LIVE_EACH[java-websocket]}")"
for name in java-websocket system2-producers system1-dashboards; do
    rss="$(median <<<"${RSS_EACH[$name]}")" live="$(median <<<"${LIVE_EACH[$name]}")"
    echo "  $name  rss $rss KB ($(ratio "$rss" "$ref_rss")x)  live heap $live KB ($(ratio "$live" "$ref_live")x)"
done
