#!/usr/bin/env bash
# Benchmarks System 1 on this machine: starts a private redis-server (no persistence) on a
# free loopback port and System 1 (ingest, workers, broadcaster in one JVM) on ports
# 4290-4292, warms up, then RUNS times each:
#   wrk   - wrk POST /metrics, 50 keep-alive connections, 2 threads (closed loop): req/s,
#           p50/p99, then how long until the consumer group's lag (and pending list) is 0;
#   rate  - analytics.loadtest.HttpRateBench, 5,000 req/s offered on a fixed schedule
#           (open loop): p50/p99 from the PLANNED send time;
#   h1    - HTTP/1.1 vs HTTP/2, the HTTP/1.1 half: wrk -t1 -c100, one metric body;
#   h2    - the HTTP/2 half: h2load -t1 -c10 -m10 (10 connections x 10 streams: the same
#           100 requests in flight) with the same body, prior knowledge, on the h2c port.
#           Run them together - `scripts/bench-system1.sh h1 h2` - and they alternate, so both
#           see the same machine; compare their CPU per metric and rate in the medians;
#   h2rate - the paced client over HTTP/2: 10 connections x 10 streams, prior knowledge.
# Both report the CPU per accepted metric of System 1's JVM and of Redis (/proc/PID/stat).
# wrk also prints Redis's own accounting per metric: INFO cpu, and INFO commandstats (calls
# and microseconds per command, the worker script's evalsha and the commands it ran).
#
#   scripts/bench-system1.sh                      # both scenarios, 3 runs of 10 s
#   RUNS=1 SECONDS_PER_RUN=5 scripts/bench-system1.sh rate
#   scripts/bench-system1.sh h1 h2                # HTTP/1.1 vs HTTP/2, alternating
#   scripts/bench-system1.sh rate h2rate          # the paced client over HTTP/1.1, then HTTP/2
#   SYSTEM1_CHECKOUT=/tmp/before scripts/bench-system1.sh h1   # System 1 of another checkout
#                                                 # (git worktree add /tmp/before REV): an A/B
#
# Needs wrk, redis-server and, for h2, h2load (installed as root, like make test does).
# Only 127.0.0.1 is used; everything
# stops by itself, and on exit only the processes this script started are stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

HTTP_PORT="${HTTP_PORT:-4290}"
RUNS="${RUNS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-10}"
WARMUP_SECONDS="${WARMUP_SECONDS:-5}"
RATE="${RATE:-5000}"
CONNECTIONS="${CONNECTIONS:-50}"
SCENARIOS=("${@:-wrk rate}")
read -r -a SCENARIOS <<<"${SCENARIOS[*]}"
STREAM="metrics:stream"
GROUP="metrics-workers"
CSV="results/system1-bench-$(date +%Y%m%d-%H%M%S).csv"
CLK_TCK="$(getconf CLK_TCK)"
mkdir -p results run
# Installs wrk and redis-server as root, or says what to install; this script starts its own
# Redis, so a REDIS_URL in the environment does not stand in for redis-server here.
REDIS_URL="" scripts/ensure-tools.sh wrk redis
if [[ " ${SCENARIOS[*]} " == *" h2 "* ]]; then
    command -v h2load >/dev/null || { echo "h2load is missing: apt-get install -y nghttp2-client" >&2; exit 1; }
fi
# One metric body for h1 and h2, so the two protocols carry exactly the same work.
BODY_FILE="run/bench-system1-body.json"
printf '{"serverId":"bench-1","timestamp":%s,"metrics":{"cpu":42.5,"memory":55.25,"disk":70.5,"network":{"in":1200,"out":800}}}' \
    "$(date +%s%3N)" >"$BODY_FILE"

source scripts/services.sh
trap stop_started EXIT

# The System 1 under test: this checkout, or another one for an A/B against an older commit
# (the clients and this script stay the same either way).
SYSTEM1_CHECKOUT="${SYSTEM1_CHECKOUT:-.}"
./build.sh build
[ "$SYSTEM1_CHECKOUT" = . ] || "$SYSTEM1_CHECKOUT/build.sh" build

REDIS_PORT="$(free_ports 1)"
start_redis "$REDIS_PORT" run/bench-system1-redis.log
rcli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" "$@"; }
start_system1 "$HTTP_PORT $((HTTP_PORT + 1)) $((HTTP_PORT + 2)) $REDIS_PORT" run/bench-system1.log "$SYSTEM1_CHECKOUT"

group_field() {  # group_field NAME: that field of XINFO GROUPS for our group
    rcli XINFO GROUPS "$STREAM" | awk -v want="$1" 'prev == "name" { g = $0 } prev == want && g == "'"$GROUP"'" { print; exit } { prev = $0 }'
}
entries_added() { rcli XINFO STREAM "$STREAM" | awk 'prev == "entries-added" { print; exit } { prev = $0 }'; }
now_ms() { date +%s%3N; }
redis_cpu() {  # Redis's own count of its CPU seconds (used_cpu_sys + used_cpu_user)
    rcli INFO cpu | tr -d '\r' | awk -F: '$1 == "used_cpu_sys" || $1 == "used_cpu_user" { s += $2 } END { printf "%.3f", s }'
}
command_stats() {  # command_stats METRICS: Redis's commandstats since the last CONFIG RESETSTAT, per metric
    rcli INFO commandstats | tr -d '\r' | awk -F'[:=,]' -v n="$1" '/^cmdstat_/ {
            name = substr($1, 9); calls[name] = $3; usec[name] = $5; total_calls += $3; total_usec += $5 }
        END {
            # A script'"'"'s redis.call()s are counted as commands of their own too, and their time is
            # inside evalsha'"'"'s as well. These are the commands the worker script runs (the XACK of an
            # invalid entry is the one counted here that a script did not run; rare).
            split("xpending hget hset hmget hincrby hincrbyfloat sadd expire publish xack", inner, " ")
            for (i in inner) in_scripts += calls[inner[i]]
            printf "  redis per metric: evalsha %.3f calls, %.1f us (the commands it ran included); %.2f commands run by scripts\n",
                calls["evalsha"] / n, usec["evalsha"] / n, in_scripts / n
            printf "  every command, calls/us per metric:"
            for (k in calls) if (calls[k] / n >= 0.01) printf " %s %.2f/%.1fus", k, calls[k] / n, usec[k] / n
            printf "\n" }'
}

wrk_run() {  # wrk_run SECONDS CSV_FILE (or "" for an unrecorded warm-up)
    local seconds="$1" csv="$2" out rinfo0 rinfo1 cpu0 redis0 added0 cpu1 redis1 added1 t0 lag_ms="" pending_ms="" lag pending
    rcli CONFIG RESETSTAT >/dev/null; rinfo0="$(redis_cpu)"
    cpu0="$(cpu_of "$SYSTEM1_PID")"; redis0="$(cpu_of "$REDIS_PID")"; added0="$(entries_added)"
    out="$(wrk -t2 -c"$CONNECTIONS" -d"${seconds}s" --latency -s scripts/wrk-post-metric.lua "http://127.0.0.1:$HTTP_PORT/metrics")"
    t0="$(now_ms)"
    # Do the workers keep up? Poll the group until nothing is undelivered (lag) or unacked (pending).
    while [ $(( $(now_ms) - t0 )) -lt 30000 ]; do
        lag="$(group_field lag)"; pending="$(group_field pending)"
        [ -z "$lag_ms" ] && [ "$lag" = "0" ] && lag_ms=$(( $(now_ms) - t0 ))
        [ -z "$pending_ms" ] && [ "$pending" = "0" ] && pending_ms=$(( $(now_ms) - t0 ))
        [ -n "$lag_ms" ] && [ -n "$pending_ms" ] && break
        sleep 0.01
    done
    cpu1="$(cpu_of "$SYSTEM1_PID")"; redis1="$(cpu_of "$REDIS_PID")"; added1="$(entries_added)"; rinfo1="$(redis_cpu)"
    [ -n "$csv" ] || return 0
    local rps p50 p99 non2xx accepted
    rps="$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
    non2xx="$(awk '/Non-2xx/ { print $NF }' <<<"$out")"; non2xx="${non2xx:-0}"
    accepted=$(( added1 - added0 ))  # entries Redis confirmed: every one was answered 202
    awk -v rps="$rps" -v p50="$p50" -v p99="$p99" -v c="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')" \
        -v r="$(awk -v a="$redis0" -v b="$redis1" 'BEGIN { print b - a }')" -v n="$accepted" -v lag="${lag_ms:-timeout}" \
        -v pend="${pending_ms:-timeout}" -v bad="$non2xx" -v ri="$(awk -v a="$rinfo0" -v b="$rinfo1" 'BEGIN { print b - a }')" -v setup="$CONNECTIONS connections 2 threads keep-alive" -v secs="$seconds" 'BEGIN {
        printf "wrk (%s, %ss): %.0f req/s, %d metrics accepted, %d non-2xx, latency p50 %.2f ms, p99 %.2f ms, server CPU %.2f s = %.1f us per metric, redis CPU %.2f s = %.1f us per metric, lag 0 after %s ms, pending 0 after %s ms\n",
            setup, secs, rps, n, bad, p50, p99, c, c * 1e6 / n, r, r * 1e6 / n, lag, pend
        printf "  redis INFO cpu (used_cpu_sys + used_cpu_user): %.1f us per metric\n", ri * 1e6 / n
        printf "wrk,%s,%.0f,%.3f,%.3f,%.3f,%.2f,%.3f,%.2f,%s,%s,%d\n", setup, rps, p50, p99, c, c * 1e6 / n, r, r * 1e6 / n, lag, pend, bad >> "'"$csv"'"
    }'
    command_stats "$accepted"
}

# h1_run / h2_run SECONDS CSV_FILE: one closed-loop run of 100 requests in flight. Accepted
# metrics are counted by Redis (entries added to the stream), never taken from the client.
protocol_run() {  # protocol_run NAME SETUP SECONDS CSV_FILE COMMAND...
    local name="$1" setup="$2" seconds="$3" csv="$4" out cpu0 cpu1 redis0 redis1 added0 added1
    shift 4
    cpu0="$(cpu_of "$SYSTEM1_PID")"; redis0="$(cpu_of "$REDIS_PID")"; added0="$(entries_added)"
    out="$("$@" 2>&1)"
    cpu1="$(cpu_of "$SYSTEM1_PID")"; redis1="$(cpu_of "$REDIS_PID")"; added1="$(entries_added)"
    [ -n "$csv" ] || return 0
    local accepted=$(( added1 - added0 )) bad rps p50="" p99=""
    if [ "$name" = h2 ]; then  # h2load: "requests: N total, ... N succeeded, N failed, N errored, N timeout"
        bad="$(awk '/^requests:/ { n += $10 + $12 + $14 } /^status codes:/ { n += $5 + $7 + $9 } END { print n + 0 }' <<<"$out")"
    else
        bad="$(awk '/Non-2xx/ { n += $NF } /Socket errors/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' <<<"$out")"
        p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
        p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
    fi
    rps="$(awk -v n="$accepted" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')"
    awk -v name="$name" -v setup="$setup" -v secs="$seconds" -v rps="$rps" -v n="$accepted" -v bad="$bad" \
        -v p50="$p50" -v p99="$p99" -v c="$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { print b - a }')" \
        -v r="$(awk -v a="$redis0" -v b="$redis1" 'BEGIN { print b - a }')" 'BEGIN {
        printf "%s (%s, %ss): %.0f metrics/s accepted, %d errors or non-2xx, server CPU %.1f us + redis %.1f us = %.1f us per metric\n",
            name, setup, secs, rps, bad, c * 1e6 / n, r * 1e6 / n, (c + r) * 1e6 / n
        printf "%s,%s,%.0f,%s,%s,%.3f,%.2f,%.3f,%.2f,,,%d\n", name, setup, rps, p50, p99, c, c * 1e6 / n, r, r * 1e6 / n, bad >> "'"$csv"'"
    }'
}
h1_run() {
    protocol_run h1 "wrk -t1 -c100" "$1" "$2" env BODY_FILE="$BODY_FILE" \
        wrk -t1 -c100 -d"$1s" --latency -s scripts/wrk-post-body.lua "http://127.0.0.1:$HTTP_PORT/metrics"
}
h2_run() {
    protocol_run h2 "h2load -t1 -c10 -m10" "$1" "$2" \
        h2load -t1 -c10 -m10 -D "$1" -d "$BODY_FILE" -H 'content-type: application/json' \
        "http://127.0.0.1:$((HTTP_PORT + 1))/metrics"
}

rate_run() {  # rate_run SECONDS CSV_FILE (or "" for an unrecorded warm-up) [MORE ARGS]
    local args=(--port "$HTTP_PORT" --connections "$CONNECTIONS" --rate "$RATE" --seconds "$1" --warmup 2
                --server-pid "$SYSTEM1_PID" --redis-pid "$REDIS_PID" --clk-tck "$CLK_TCK")
    [ -n "$2" ] && args+=(--csv "$2")
    ./build.sh run analytics.loadtest.HttpRateBench "${args[@]}" "${@:3}"
}
h2rate_run() {  # later flags win: the h2c port, 10 connections of 10 streams each
    rate_run "$1" "$2" --protocol h2 --port "$((HTTP_PORT + 1))" --connections 10 --streams 10
}

printf 'scenario,setup,per_second,p50_ms,p99_ms,server_cpu_s,server_us_per_metric,redis_cpu_s,redis_us_per_metric,lag_drain_ms,pending_drain_ms,non_2xx\n' >"$CSV"

echo "== warm-up, ${WARMUP_SECONDS}s per scenario (not recorded)"
for scenario in "${SCENARIOS[@]}"; do "${scenario}_run" "$WARMUP_SECONDS" "" >/dev/null; done

# Scenarios alternate within each round, so a machine that speeds up or slows down during
# the benchmark affects all of them alike.
for run in $(seq 1 "$RUNS"); do
    echo "== round $run of $RUNS, ${SECONDS_PER_RUN}s each: ${SCENARIOS[*]}"
    for scenario in "${SCENARIOS[@]}"; do "${scenario}_run" "$SECONDS_PER_RUN" "$CSV"; done
done

echo "== medians (from $CSV)"
awk -F, 'NR > 1 { k = $1; n[k]++; i = n[k]; rate[k, i] = $3; p50[k, i] = $4; p99[k, i] = $5; cpu[k, i] = $7; rcpu[k, i] = $9; tot[k, i] = $7 + $9; lag[k, i] = $10 }
    function median(arr, key, count,    i, j, t, v) {
        for (i = 1; i <= count; i++) v[i] = arr[key, i]
        for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
        return v[int((count + 1) / 2)]
    }
    END { for (k in n) printf "%-5s %8.0f accepted/s   p50 %7.2f ms   p99 %7.2f ms   %6.1f us server CPU + %5.1f us redis CPU = %6.1f us per metric%s\n",
          k, median(rate, k, n[k]), median(p50, k, n[k]), median(p99, k, n[k]), median(cpu, k, n[k]), median(rcpu, k, n[k]),
          median(tot, k, n[k]), k == "wrk" ? "   lag 0 after " median(lag, k, n[k]) " ms" : "" }' "$CSV"
