#!/usr/bin/env bash
# The load driver checked against clients we did not write, on the same targets in the same
# run: wrk on System 1's HTTP/1.1 port, h2load on its HTTP/2 port, Node's `ws` package
# (scripts/ws-load.mjs) on System 2 - each against the driver's closed model with the same
# number in flight, alternating, ROUNDS rounds. Two things are compared:
#
#   rate      what each client got through. java.net.http costs the driver far more CPU per
#             request than wrk or h2load cost theirs, so on a 2-core machine, where client
#             and server share the cores, the driver's rate is expected to be lower: the
#             client CPU column says by how much each client paid.
#   cost      the server's CPU per accepted metric (System 1: its JVM plus Redis), read from
#             /proc around every run. It should not depend on who sends: a gap here would
#             mean the driver's accounting, or its requests, differ from the others'.
#
#   scripts/crosscheck-loadtest.sh                 # all three transports, 3 rounds of 20 s
#   ROUNDS=1 SECONDS_PER_RUN=5 scripts/crosscheck-loadtest.sh ws
#
# Writes results/crosscheck-<date>-<time>.csv and prints the medians. Needs wrk, h2load,
# node with ws in lib/node, and redis-server (installed as root, like make test does).
set -euo pipefail
cd "$(dirname "$0")/.."

TRANSPORTS=("${@:-http1 http2 ws}")
read -r -a TRANSPORTS <<<"${TRANSPORTS[*]}"
ROUNDS="${ROUNDS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-20}"
DRIVER_WARMUP="${DRIVER_WARMUP:-15}"   # each driver run is a new JVM: its JIT warms up first
HTTP1_IN_FLIGHT=64                      # wrk -c64 and the driver's 64 connections
HTTP2_CONNECTIONS=4 HTTP2_STREAMS=64    # h2load -c4 -m64: 256 in flight, as the driver's
WS_CONNECTIONS=50                       # one metric in flight on each of 50 sockets

for transport in "${TRANSPORTS[@]}"; do
    case "$transport" in http1 | http2 | ws) ;; *)
        echo "crosscheck-loadtest.sh: unknown transport $transport (http1, http2 or ws)" >&2; exit 64 ;;
    esac
done
scripts/ensure-tools.sh redis wrk nghttp2 node-ws
./build.sh build

source scripts/services.sh
trap stop_started EXIT
trap 'exit 130' INT TERM
mkdir -p results run/crosscheck
read -r HTTP HTTP2 WS S2 REDIS_PORT <<<"$(free_ports 5)"
start_redis "$REDIS_PORT" run/crosscheck/redis.log
start_system1 "$HTTP $HTTP2 $WS $REDIS_PORT" run/crosscheck/system1.log
start_system2 "$S2" run/crosscheck/system2.log
CSV="results/crosscheck-$(date +%Y%m%d-%H%M%S).csv"
echo "transport,client,round,per_s,p50_ms,p99_ms,server_cpu_us_per_metric,client_cpu_pct" >"$CSV"

BODY_FILE="$(mktemp)" OUT="$(mktemp)"
trap 'rm -f "$BODY_FILE" "$OUT"; stop_started' EXIT
printf '{"serverId":"xcheck-1","timestamp":%s,"metrics":{"cpu":41.5,"memory":60.2,"disk":70.1,"network":{"in":1200,"out":800}}}' \
    "$(date +%s%3N)" >"$BODY_FILE"

server_pids() { [ "$1" = ws ] && echo "$SYSTEM2_PID" || echo "$SYSTEM1_PID $REDIS_PID"; }

# tool_run TRANSPORT ROUND: one run of the independent client; one CSV line
tool_run() {
    local transport="$1" round="$2" out before after timing count rate p50 p99
    local pids; read -r -a pids <<<"$(server_pids "$transport")"
    before="$(cpu_of "${pids[@]}")"
    TIMEFORMAT='%U %S'
    case "$transport" in
        http1)
            { timing="$( { time env BODY_FILE="$BODY_FILE" wrk -t1 -c"$HTTP1_IN_FLIGHT" -d"${SECONDS_PER_RUN}s" \
                  --latency -s scripts/wrk-post-body.lua "http://127.0.0.1:$HTTP/metrics" >"$OUT" 2>&1; } 2>&1 )"; }
            out="$(cat "$OUT")"
            count="$(awk '/requests in/ { print $1 }' <<<"$out")"
            bad="$(awk '/Non-2xx/ { print $5 }' <<<"$out")"; count=$((count - ${bad:-0}))
            rate="$(awk -v n="$count" -v s="$SECONDS_PER_RUN" 'BEGIN { printf "%.1f", n / s }')"
            p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
            p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")" ;;
        http2)
            { timing="$( { time h2load -t1 -c"$HTTP2_CONNECTIONS" -m"$HTTP2_STREAMS" -D "$SECONDS_PER_RUN" \
                  -d "$BODY_FILE" -H 'content-type: application/json' \
                  "http://127.0.0.1:$HTTP2/metrics" >"$OUT" 2>&1; } 2>&1 )"; }
            out="$(cat "$OUT")"
            # "status codes: 0 2xx, ..." - h2load prints no percentiles; its mean is in "time for request"
            count="$(awk '/^status codes:/ { print $3 }' <<<"$out")"
            rate="$(awk -v n="$count" -v s="$SECONDS_PER_RUN" 'BEGIN { printf "%.1f", n / s }')"
            p50="" p99="" ;;
        ws)
            { timing="$( { time node scripts/ws-load.mjs "ws://127.0.0.1:$S2" "$WS_CONNECTIONS" 1 0 \
                  "$SECONDS_PER_RUN" >"$OUT" 2>&1; } 2>&1 )"; }
            out="$(cat "$OUT")"
            count="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["acks"])' <<<"$out")"
            rate="$(python3 -c 'import json,sys; print("%.1f" % json.load(sys.stdin)["perSecond"])' <<<"$out")"
            p50="$(python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["p50Ms"])' <<<"$out")"
            p99="$(python3 -c 'import json,sys; print("%.3f" % json.load(sys.stdin)["p99Ms"])' <<<"$out")" ;;
    esac
    after="$(cpu_of "${pids[@]}")"
    local tool; tool="$(case "$transport" in http1) echo wrk ;; http2) echo h2load ;; ws) echo node-ws ;; esac)"
    awk -v t="$transport" -v c="$tool" -v r="$round" -v rate="$rate" -v p50="$p50" -v p99="$p99" \
        -v cpu="$(awk -v a="$after" -v b="$before" 'BEGIN { print a - b }')" -v n="$count" \
        -v u="${timing% *}" -v s="${timing#* }" -v d="$SECONDS_PER_RUN" \
        'BEGIN { printf "%s,%s,%s,%s,%s,%s,%.1f,%.1f\n", t, c, r, rate, p50, p99, cpu * 1e6 / n, (u + s) / d * 100 }' >>"$CSV"
}

# driver_run TRANSPORT ROUND: the driver's closed model, the same number in flight
driver_run() {
    local transport="$1" round="$2" run_csv args
    run_csv="$(mktemp --suffix=.csv)"; rm -f "$run_csv"
    case "$transport" in
        http1) args=(--in-flight "$HTTP1_IN_FLIGHT" --http1-connections "$HTTP1_IN_FLIGHT" --system1-pids "$SYSTEM1_PID,$REDIS_PID") ;;
        http2) args=(--in-flight $((HTTP2_CONNECTIONS * HTTP2_STREAMS)) --http2-connections "$HTTP2_CONNECTIONS"
                     --http2-streams "$HTTP2_STREAMS" --system1-pids "$SYSTEM1_PID,$REDIS_PID") ;;
        ws)    args=(--in-flight "$WS_CONNECTIONS" --ws-connections "$WS_CONNECTIONS" --system2-pids "$SYSTEM2_PID") ;;
    esac
    LOAD_TEST_TARGET_HTTP="http://127.0.0.1:$HTTP/metrics" LOAD_TEST_TARGET_HTTP2="http://127.0.0.1:$HTTP2/metrics" \
    LOAD_TEST_TARGET_WS="ws://127.0.0.1:$S2" LOAD_TEST_TARGET_SYSTEM1_WS="ws://127.0.0.1:$WS" \
    LOAD_TEST_SCENARIOS="$transport" LOAD_TEST_DURATION="$SECONDS_PER_RUN" LOAD_TEST_WARMUP="$DRIVER_WARMUP" \
        ./build.sh run analytics.loadtest.driver.LoadDriverMain run --model closed --csv "$run_csv" "${args[@]}" >/dev/null
    # The run's one row, by column name: ResultsCsv.HEADER is the contract between the two.
    awk -F, -v t="$transport" -v r="$round" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
        { printf "%s,driver,%s,%s,%s,%s,%s,%s\n", t, r, $col["achieved_per_s"], $col["p50_ms"], $col["p99_ms"],
                 $col["server_cpu_us_per_metric"], $col["generator_cpu_pct"] }' "$run_csv" >>"$CSV"
    rm -f "$run_csv"
}

for transport in "${TRANSPORTS[@]}"; do
    echo "crosscheck: $transport - a warm-up of both clients, then $ROUNDS rounds of ${SECONDS_PER_RUN} s each"
    SECONDS_PER_RUN_SAVED="$SECONDS_PER_RUN"; SECONDS_PER_RUN=10
    tool_run "$transport" warmup; driver_run "$transport" warmup
    SECONDS_PER_RUN="$SECONDS_PER_RUN_SAVED"
    sed -i '/,warmup,/d' "$CSV"
    for round in $(seq 1 "$ROUNDS"); do
        tool_run "$transport" "$round"
        driver_run "$transport" "$round"
    done
done

echo "crosscheck: medians of $ROUNDS rounds ($CSV)"
python3 - "$CSV" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def med(rs, key):
    values = [float(r[key]) for r in rs if r[key] not in ("", "nan")]
    return statistics.median(values) if values else float("nan")
for transport in dict.fromkeys(r["transport"] for r in rows):
    tool = [r for r in rows if r["transport"] == transport and r["client"] != "driver"]
    driver = [r for r in rows if r["transport"] == transport and r["client"] == "driver"]
    name = tool[0]["client"]
    print(f"{transport:6} {name:8} {med(tool,'per_s'):8.0f}/s p50 {med(tool,'p50_ms'):7.2f} ms  server {med(tool,'server_cpu_us_per_metric'):6.1f} us/metric  client CPU {med(tool,'client_cpu_pct'):4.0f}%")
    print(f"{'':6} {'driver':8} {med(driver,'per_s'):8.0f}/s p50 {med(driver,'p50_ms'):7.2f} ms  server {med(driver,'server_cpu_us_per_metric'):6.1f} us/metric  client CPU {med(driver,'client_cpu_pct'):4.0f}%")
    print(f"{'':6} driver/{name}: rate {med(driver,'per_s')/med(tool,'per_s'):.2f}x, server CPU per metric {med(driver,'server_cpu_us_per_metric')/med(tool,'server_cpu_us_per_metric'):.2f}x")
PY
