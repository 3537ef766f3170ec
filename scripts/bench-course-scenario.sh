#!/usr/bin/env bash
# The course's own scenario (issue 12, target 4), every client on this machine. On System 2:
# 10,000 simulated servers at 1 metric/s over WebSocket (the project's senders, `make senders
# MODE=ws COUNT=10000`); on System 1 (SYSTEM=1): the same servers at one metric every 5 s
# (INTERVAL_MS=5000, 2,000 metrics/s) POSTed over HTTP/2 (`--mode h2`) into System 1 in one
# JVM (ingest, workers, broadcaster) and its own Redis. Then 500 dashboards (Node's `ws`,
# scripts/course-dashboards.mjs, not our code): 490 each following one server, 10 following
# the whole fleet in tick mode (250 ms).
#
# Three phases on one system: ingest alone for PHASE_S once the JIT has settled, then with the
# dashboards for DURATION_S after a warm-up, then ingest alone again for PHASE_S. Reported:
# end-to-end delay (metric timestamp -> dashboard) p50, p99 and max, the p99 of every 10 s window
# (is the tail flat?), the ticks' newest-sample delay; the system's CPU in each phase and so the
# fan-out's CPU per delivered update (the second phase's CPU minus the ingest alone's, over the
# server updates the dashboards received: a filtered dashboard's update, or one aggregate inside a
# tick). The ingest alone is measured twice, before the dashboards and after they have gone, and
# the fan-out is counted against the second: the same ingest costs a young JVM more (0.28-0.46
# cores in its first phase, 0.22-0.32 in its last, runs of 2026-12-02), and the first would charge
# that fall to the dashboards. Resident memory of the system's JVM, the senders and the
# dashboards' Node processes (one for the filtered, one for the tick dashboards), and on System 1
# Redis's CPU and memory; updates dropped and metrics the senders dropped. One line per figure
# goes to results/course-scenario-<time>.csv.
#
#   scripts/bench-course-scenario.sh                       # System 2, 60 s with the dashboards
#   DURATION_S=300 scripts/bench-course-scenario.sh        # the issue's 5 minutes
#   SYSTEM=1 scripts/bench-course-scenario.sh              # System 1, a metric every 5 s each
#   SYSTEM=1 INTERVAL_MS=1000 scripts/bench-course-scenario.sh   # System 1 at 10,000/s
#
# Loopback only; bounded; everything started here is stopped on exit, Ctrl-C or kill.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

SYSTEM="${SYSTEM:-2}"
SERVERS="${SERVERS:-10000}"
[ "$SYSTEM" = 1 ] && INTERVAL_MS="${INTERVAL_MS:-5000}" || INTERVAL_MS="${INTERVAL_MS:-1000}"
FILTERED="${FILTERED:-490}"
TICK="${TICK:-10}"
PHASE_S="${PHASE_S:-20}"
WARMUP_S="${WARMUP_S:-10}"
DURATION_S="${DURATION_S:-60}"
[ "$SYSTEM" = 1 ] || [ "$SYSTEM" = 2 ] \
    || { echo "bench-course-scenario.sh: SYSTEM must be 1 or 2" >&2; exit 64; }
for setting in SERVERS INTERVAL_MS FILTERED TICK PHASE_S WARMUP_S DURATION_S; do
    [[ "${!setting}" =~ ^[0-9]{1,6}$ ]] \
        || { echo "bench-course-scenario.sh: $setting must be a whole number" >&2; exit 64; }
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
REDIS_URL="" scripts/ensure-tools.sh node-ws
./build.sh build >/dev/null

SENDERS_PID=""
stop_senders() { [ -z "$SENDERS_PID" ] || stop_process "$SENDERS_PID"; SENDERS_PID=""; }
trap 'stop_senders; stop_started' EXIT
trap 'exit 130' INT TERM

LOGS="run/bench-course-scenario"
STAMP="$(date +%Y%m%d-%H%M%S)"
CSV="results/course-scenario-$STAMP.csv"
mkdir -p results "$LOGS"

rss_mb() { ps -o rss= -p "$1" | awk '{ printf "%.0f", $1 / 1024 }'; }
stat_field() {  # stat_field PORT NAME: a number from the /stats on PORT
    { curl -fs --max-time 2 "http://127.0.0.1:$1/stats" || true; } | grep -o "\"$2\":[0-9]*" | head -1 \
        | cut -d: -f2 || true
}

CPU_MODEL="$(lscpu 2>/dev/null | awk -F: '/^Model name/ { sub(/^ +/, "", $2); print $2; exit }')"
RATE=$((SERVERS * 1000 / INTERVAL_MS))
echo "bench-course-scenario.sh: System $SYSTEM, $SERVERS servers every $INTERVAL_MS ms ($RATE metrics/s)," \
     "$FILTERED filtered + $TICK tick dashboards, ${DURATION_S} s; CPU: $CPU_MODEL ($(nproc) cores)"
# LOG_LEVEL info: the senders' last line counts what they sent, and dropped.
senders() {  # senders MODE TARGET_SETTING=URL
    env BIND_HOST=127.0.0.1 FAKE_SERVER_COUNT="$SERVERS" FAKE_SERVER_INTERVAL_MS="$INTERVAL_MS" "$2" \
        LOG_LEVEL=info JAVA_OPTS="$SERVICES_JAVA_OPTS" \
        ./build.sh run analytics.sender.SendersMain --mode "$1" >"$LOGS/senders.log" 2>&1 &
    SENDERS_PID=$!
}
REDIS_PID=""
if [ "$SYSTEM" = 1 ]; then
    read -r HTTP HTTP2 PORT REDIS_PORT <<<"$(free_ports 4)"
    start_redis "$REDIS_PORT" "$LOGS/redis.log"
    start_system1 "$HTTP $HTTP2 $PORT $REDIS_PORT" "$LOGS/system1.log"
    SERVER_PID="$SYSTEM1_PID" SERVER_LOG="$LOGS/system1.log"
    senders h2 "FAKE_HTTP2_TARGET=http://127.0.0.1:$HTTP2/metrics"
    echo "  waiting until System 1 accepted a metric from each of $SERVERS servers ..."
    wait_until "every server" "$SERVER_PID" "$SERVER_LOG" \
        bash -c "[ \"\$(curl -fs --max-time 2 http://127.0.0.1:$HTTP/stats | grep -o '\"acceptedTotal\":[0-9]*' | cut -d: -f2)\" -ge $SERVERS ]"
else
    read -r PORT <<<"$(free_ports 1)"
    start_system2 "$PORT" "$LOGS/system2.log"
    SERVER_PID="$SYSTEM2_PID" SERVER_LOG="$LOGS/system2.log"
    senders ws "FAKE_WS_TARGET=ws://127.0.0.1:$PORT"
    echo "  waiting until System 2 hears all $SERVERS servers ..."
    wait_until "every server" "$SERVER_PID" "$SERVER_LOG" \
        bash -c "[ \"\$(curl -fs --max-time 2 http://127.0.0.1:$PORT/stats | grep -o '\"servers\":[0-9]*' | cut -d: -f2)\" = $SERVERS ]"
fi

# Phase 1: ingest alone, once the JIT has settled under it (services.sh warm_up, 5 s at a
# time, at least 10 s, at most 60) - a figure taken while C2 still compiles is too high:
# System 1's first 20 s used 0.45 cores, more than it used later with the 500 dashboards
# added. Beside phase 3's, it shows how much the JVM's cost still fell after that.
warm_up "$SERVER_PID" 10 60 sleep 5
echo "  warm after $WARM_UP_SECONDS s (the JIT settled: $WARM_UP_SETTLED)"
cpu0="$(cpu_of "$SERVER_PID")"
sleep "$PHASE_S"
cpu1="$(cpu_of "$SERVER_PID")"
ingest_cores="$(awk -v a="$cpu0" -v b="$cpu1" -v s="$PHASE_S" 'BEGIN { printf "%.3f", (b - a) / s }')"
echo "  ingest alone: System $SYSTEM used $ingest_cores cores"

# Phase 2: the dashboards. System 2's CPU and deliveries over exactly the measured window.
# Two Node processes: a tick carries thousands of aggregates, and parsing it blocks Node's one
# thread for milliseconds - in one process with the filtered dashboards, that wait would be
# measured as System 2's delay.
SYSTEM="$SYSTEM" node scripts/course-dashboards.mjs "ws://127.0.0.1:$PORT" "$FILTERED" 0 "$SERVERS" "$WARMUP_S" \
    "$DURATION_S" >"$LOGS/dashboards-filtered.out" 2>&1 &
NODE_PID=$!
SYSTEM="$SYSTEM" node scripts/course-dashboards.mjs "ws://127.0.0.1:$PORT" 0 "$TICK" "$SERVERS" "$WARMUP_S" \
    "$DURATION_S" >"$LOGS/dashboards-tick.out" 2>&1 &
TICK_PID=$!
sleep "$WARMUP_S"
cpu2="$(cpu_of "$SERVER_PID")"; sent0="$(stat_field "$PORT" deliveredTotal)"
senders0="$(cpu_of "$SENDERS_PID")" node0="$(cpu_of "$NODE_PID")" tick0="$(cpu_of "$TICK_PID")"
redis0="$( [ -z "$REDIS_PID" ] || cpu_of "$REDIS_PID")"
sleep "$DURATION_S"
cpu3="$(cpu_of "$SERVER_PID")"; sent1="$(stat_field "$PORT" deliveredTotal)"
senders1="$(cpu_of "$SENDERS_PID")" node1="$(cpu_of "$NODE_PID")" tick1="$(cpu_of "$TICK_PID")"
redis1="$( [ -z "$REDIS_PID" ] || cpu_of "$REDIS_PID")"
cores() { awk -v a="$1" -v b="$2" -v s="$DURATION_S" 'BEGIN { printf "%.3f", (b - a) / s }'; }
rss_server="$(rss_mb "$SERVER_PID")" rss_senders="$(rss_mb "$SENDERS_PID")"
rss_redis="$( [ -z "$REDIS_PID" ] || rss_mb "$REDIS_PID")"
rss_node="$(( $(rss_mb "$NODE_PID") + $(rss_mb "$TICK_PID") ))"
wait "$NODE_PID" "$TICK_PID" || true
dropped_updates="$(stat_field "$PORT" dropped)"

# Phase 3: ingest alone again, once the dashboards' connections are gone (their clients have
# exited; the server's closing handshakes are over within seconds). The fan-out's baseline: the
# JVM has run as long under the same load as in phase 2, where phase 1's came minutes younger.
sleep 5
cpu4="$(cpu_of "$SERVER_PID")"
sleep "$PHASE_S"
cpu5="$(cpu_of "$SERVER_PID")"
after_cores="$(awk -v a="$cpu4" -v b="$cpu5" -v s="$PHASE_S" \
    'BEGIN { printf "%.3f", (b - a) / s }')"
echo "  ingest alone after the dashboards: System $SYSTEM used $after_cores cores"
stop_senders
senders_line="$(grep '"stopped"' "$LOGS/senders.log" | tail -1 || true)"
senders_dropped="$(grep -o '"dropped":[0-9]*' <<<"$senders_line" | cut -d: -f2 || true)"

with_cores="$(awk -v a="$cpu2" -v b="$cpu3" -v s="$DURATION_S" 'BEGIN { printf "%.3f", (b - a) / s }')"
delivered=$((sent1 - sent0))
# The filtered process's line, with the tick process's "tick" member in place of its own.
result="$(python3 -c 'import json,sys
f = json.loads([l for l in open(sys.argv[1]) if l.startswith("{")][-1])
t = json.loads([l for l in open(sys.argv[2]) if l.startswith("{")][-1])
f["tick"] = t["tick"]; f["errors"] += t["errors"]
for code, n in t["closes"].items(): f["closes"][code] = f["closes"].get(code, 0) + n
print(json.dumps(f))' "$LOGS/dashboards-filtered.out" "$LOGS/dashboards-tick.out")"
field() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2], {}, {'d': d}))" "$result" "$1"; }
# Per server update a dashboard received: a filtered dashboard's metric.update, or one
# aggregate inside a tick - the unit the fan-out's cost is counted in.
updates_received="$(field "d['filtered']['updates'] + d['tick']['aggregates']")"
fanout_us="$(awk -v w="$with_cores" -v i="$after_cores" -v s="$DURATION_S" \
    -v n="$updates_received" \
    'BEGIN { if (n > 0) printf "%.2f", (w - i) * s * 1e6 / n; else print "nan" }')"

{
    echo "figure,value"
    echo "cpu_model,$CPU_MODEL"
    echo "system,$SYSTEM"
    echo "servers,$SERVERS"
    echo "metrics_per_second_offered,$RATE"
    echo "dashboards_filtered,$FILTERED"
    echo "dashboards_tick,$TICK"
    echo "seconds,$DURATION_S"
    echo "system${SYSTEM}_cores_ingest_alone,$ingest_cores"
    echo "system${SYSTEM}_cores_with_dashboards,$with_cores"
    echo "system${SYSTEM}_cores_ingest_alone_after,$after_cores"
    [ -z "$REDIS_PID" ] || echo "redis_cores_with_dashboards,$(cores "$redis0" "$redis1")"
    echo "senders_cores,$(cores "$senders0" "$senders1")"
    echo "dashboards_node_cores_filtered,$(cores "$node0" "$node1")"
    echo "dashboards_node_cores_tick,$(cores "$tick0" "$tick1")"
    echo "messages_delivered_by_system${SYSTEM},$delivered"
    echo "server_updates_received_by_dashboards,$updates_received"
    echo "fanout_us_per_server_update,$fanout_us"
    echo "filtered_updates_received,$(field "d['filtered']['updates']")"
    echo "filtered_delay_p50_ms,$(field "d['filtered']['p50Ms']")"
    echo "filtered_delay_p99_ms,$(field "d['filtered']['p99Ms']")"
    echo "filtered_delay_max_ms,$(field "d['filtered']['maxMs']")"
    echo "filtered_delay_p99_ms_per_10s,\"$(field "d['filtered']['p99MsPer10s']")\""
    echo "tick_aggregates_received,$(field "d['tick']['aggregates']")"
    echo "tick_newest_delay_p50_ms,$(field "d['tick']['p50Ms']")"
    echo "tick_newest_delay_p99_ms,$(field "d['tick']['p99Ms']")"
    echo "dashboard_errors_and_closes,\"$(field "d['errors']") $(field "d['closes']")\""
    echo "updates_dropped_by_system${SYSTEM},$dropped_updates"
    echo "metrics_dropped_by_senders,${senders_dropped:-unknown}"
    echo "rss_mb_system${SYSTEM},$rss_server"
    [ -z "$REDIS_PID" ] || echo "rss_mb_redis,$rss_redis"
    echo "rss_mb_senders,$rss_senders"
    echo "rss_mb_dashboards_node,$rss_node"
} >"$CSV"
column -s, -t <"$CSV" | sed 's/^/  /'
echo "  -> $CSV"
