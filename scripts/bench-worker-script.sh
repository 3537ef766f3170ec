#!/usr/bin/env bash
# What System 1's workers cost Redis, per stream entry, and how that depends on the fleet:
# ENTRIES metrics of SERVERS distinct servers are written into the stream of a private Redis
# first (as ingest writes them, with redis-cli --pipe), then System 1's workers alone drain it
# (System1WorkersMain: XREADGROUP, one stream-batch.lua call per batch, XACK) while a
# redis-cli SUBSCRIBE stands in for the broadcaster. Nothing else runs, so Redis's CPU (from
# /proc) and its own time per command (INFO commandstats) are the script's, not the
# contention's. Lesson 23, "Waiting for Redis's one thread".
#
#   scripts/bench-worker-script.sh                            # 10 and 10,000 servers, 3 runs
#   SERVERS="10000" RUNS=1 scripts/bench-worker-script.sh     # one fleet, one run
#
# To measure a change to stream-batch.lua: edit it, run this again, compare the
# "EVALSHA us per entry" of the same fleet. Loopback only; the stream and Redis are private
# and everything started here is stopped on exit, Ctrl-C or kill.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh

SERVERS="${SERVERS:-10 10000}"
ENTRIES="${ENTRIES:-100000}"
RUNS="${RUNS:-3}"
DRAIN_LIMIT_S=120
for setting in ENTRIES RUNS; do
    [[ "${!setting}" =~ ^[1-9][0-9]{0,6}$ ]] \
        || { echo "bench-worker-script.sh: $setting must be a whole number from 1" >&2; exit 64; }
done
for fleet in $SERVERS; do
    [[ "$fleet" =~ ^[1-9][0-9]{0,6}$ ]] \
        || { echo "bench-worker-script.sh: SERVERS must be whole numbers from 1" >&2; exit 64; }
done
REDIS_URL= scripts/ensure-tools.sh redis
./build.sh build >/dev/null

WORKERS_PID="" SUBSCRIBER_PID=""
stop_workers() {
    [ -z "$WORKERS_PID" ] || stop_process "$WORKERS_PID"
    [ -z "$SUBSCRIBER_PID" ] || stop_process "$SUBSCRIBER_PID"
    WORKERS_PID="" SUBSCRIBER_PID=""
}
trap 'stop_workers; stop_started' EXIT
trap 'exit 130' INT TERM
LOGS="$(mktemp -d "${TMPDIR:-/tmp}/bench-worker-script.XXXXXX")"

# fill PORT FLEET: ENTRIES XADDs in the contract's fields, server-1..server-FLEET in turn,
# one timestamp per round of the fleet (now, now + 1 ms, ...), as RESP for redis-cli --pipe.
fill() {
    python3 - "$ENTRIES" "$2" <<'PY' | redis-cli -h 127.0.0.1 -p "$1" --pipe >/dev/null
import sys, time
entries, fleet = int(sys.argv[1]), int(sys.argv[2])
now = int(time.time() * 1000)
out = sys.stdout.buffer
for i in range(entries):
    metrics = '{"cpu":%d.5,"memory":55.25,"disk":70.5,"network":{"in":%d,"out":70}}' % (
        20 + i % 50, 100 + i % 7)
    args = [b"XADD", b"metrics:stream", b"*", b"serverId", b"server-%d" % (1 + i % fleet),
            b"timestamp", b"%d" % (now + i // fleet), b"metrics", metrics.encode()]
    out.write(b"*%d\r\n" % len(args))
    for arg in args:
        out.write(b"$%d\r\n%s\r\n" % (len(arg), arg))
PY
}

# group_field PORT NAME: a field of the workers' group from XINFO GROUPS (lag, pending)
group_field() {
    redis-cli -h 127.0.0.1 -p "$1" xinfo groups metrics:stream 2>/dev/null \
        | awk -v name="$2" 'found { print; exit } $0 == name { found = 1 }'
}

# measure FLEET: one run on a fresh Redis; appends to the figures of FLEET
measure() {
    local fleet="$1" port cpu0 cpu1 t0 t1 published evalsha
    read -r port <<<"$(free_ports 1)"
    start_redis "$port" "$LOGS/redis.log"
    fill "$port" "$fleet"
    redis-cli -h 127.0.0.1 -p "$port" subscribe metrics:pubsub >/dev/null &
    SUBSCRIBER_PID=$!
    redis-cli -h 127.0.0.1 -p "$port" config resetstat >/dev/null
    cpu0="$(cpu_of "$REDIS_PID")" t0="$(date +%s%3N)"
    SYSTEM1_REDIS_HOST=127.0.0.1 SYSTEM1_REDIS_PORT="$port" SYSTEM1_REDIS_DB= \
        SYSTEM1_REDIS_USERNAME= SYSTEM1_REDIS_PASSWORD= LOG_LEVEL=warn \
        JAVA_OPTS="$SERVICES_JAVA_OPTS" \
        ./build.sh run analytics.system1.worker.System1WorkersMain >"$LOGS/workers.log" 2>&1 &
    WORKERS_PID=$!
    for _ in $(seq 1 $((DRAIN_LIMIT_S * 5))); do
        sleep 0.2
        [ "$(group_field "$port" lag)" = 0 ] && [ "$(group_field "$port" pending)" = 0 ] && break
    done
    cpu1="$(cpu_of "$REDIS_PID")" t1="$(date +%s%3N)"
    stop_workers
    # Every entry published once: none rejected as invalid, none left behind.
    published="$(redis-cli -h 127.0.0.1 -p "$port" info commandstats | tr -d '\r' \
        | awk -F'[:,=]' '$1 == "cmdstat_publish" { print $3 }')"
    if [ "${published:-0}" != "$ENTRIES" ]; then
        echo "bench-worker-script.sh: $ENTRIES entries written but ${published:-0} published" \
             "within ${DRAIN_LIMIT_S} s; the workers' log:" >&2
        tail -n 15 "$LOGS/workers.log" | sed 's/^/    /' >&2
        exit 1
    fi
    evalsha="$(redis-cli -h 127.0.0.1 -p "$port" info commandstats | tr -d '\r' \
        | awk -F'[:,=]' -v n="$ENTRIES" '$1 == "cmdstat_evalsha" { printf "%.1f", $5 / n }')"
    REDIS_US[$fleet]+="$(awk -v a="$cpu0" -v b="$cpu1" -v n="$ENTRIES" \
        'BEGIN { printf "%.1f", (b - a) * 1e6 / n }') "
    EVALSHA_US[$fleet]+="$evalsha "
    echo "$fleet servers: Redis CPU $(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.2f", b - a }') s" \
         "for $ENTRIES entries in $(( (t1 - t0) / 1000 )) s; per entry: $(redis_command_time "$port" "$ENTRIES")"
    stop_started
}

declare -A REDIS_US=() EVALSHA_US=()   # fleet -> one figure per run, space-separated
echo "bench-worker-script.sh: $ENTRIES entries, servers: $SERVERS, $RUNS runs;" \
     "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(redis-server --version | cut -d' ' -f1-3)"
for run in $(seq 1 "$RUNS"); do
    for fleet in $SERVERS; do
        measure "$fleet"
    done
done
echo "== medians of $RUNS run(s), per stream entry"
for fleet in $SERVERS; do
    echo "  $fleet servers: Redis CPU $(median <<<"${REDIS_US[$fleet]}") us," \
         "EVALSHA $(median <<<"${EVALSHA_US[$fleet]}") us (runs: ${REDIS_US[$fleet]% })"
done
