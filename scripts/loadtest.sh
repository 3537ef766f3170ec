#!/usr/bin/env bash
# The load test in one command (`make loadtest`): starts a private Redis, System 1 and System 2
# on free loopback ports (scripts/services.sh), runs the load driver against them
# (analytics.loadtest.driver.LoadDriverMain run: every scenario at every level, one CSV row
# each, with the systems' CPU read from /proc of their PIDs), then its comparison (compare:
# a side-by-side CSV, a Markdown table and an HTML chart beside the CSV), prints where the
# files are, and stops every process it started, by PID, the last started first - also on
# Ctrl-C, and when a start fails (then with that part's last log lines). Logs: run/loadtest/.
#
#   scripts/loadtest.sh                                   # the full run: about 24 minutes
#   scripts/loadtest.sh --levels 100 --duration 5         # a short one
#   scripts/loadtest.sh --use-running --scenarios ws      # against what runs at the targets
#   scripts/loadtest.sh -- --ws-connections 10            # after --: more driver options
#
# Settings come from the environment and .env (docs/CONTRACT.md, LOAD_TEST_*); an option
# here wins over them. Exit status: the driver's (0 done, 1 a target did not answer), 64 for
# a bad option or setting (one line, nothing started), 130 after Ctrl-C.
set -euo pipefail

ME="${0##*/}"
DRIVER=analytics.loadtest.driver.LoadDriverMain
EXIT_USAGE=64  # sysexits.h EX_USAGE, as the driver's

usage() {
    cat <<EOF
Usage: scripts/$ME [OPTIONS] [-- DRIVER-OPTIONS]
Starts a private Redis, System 1 and System 2 on free ports, runs the load driver and its
comparison against them, prints where the results are, and stops what it started.

  --use-running      measure the systems already running at the LOAD_TEST_TARGET_* targets;
                     start nothing
  --scenarios LIST   LOAD_TEST_SCENARIOS, from http1,http2,ws,fanout (default: all four)
  --levels LIST      LOAD_TEST_LEVELS, metrics/s per level (default 100,1000,5000,10000)
  --duration S       LOAD_TEST_DURATION, measured seconds per level (default 60)
  --warmup S         LOAD_TEST_WARMUP, seconds sent before each level, not counted (default 10)
  --model MODEL      open (constant arrival rate, the default) or closed (N in flight)
  --results DIR      where the CSV and its comparison go (default results/)
  -h, --help         this text
  -- ARGS            the rest goes to the driver's run command, e.g. --dashboards 20
The default run takes 5 rows (fanout is two) x 4 levels x (60 + 10) s, about 24 minutes.
EOF
}

bad_option() {  # one line naming what is wrong, before anything is started
    echo "$ME: $1 (--help lists the options)" >&2
    exit "$EXIT_USAGE"
}

# --- Options: read all of them before starting anything -------------------------------------
USE_RUNNING=false
RESULTS_DIR=results
DRIVER_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --use-running) USE_RUNNING=true; shift; continue ;;
        -h | --help)   usage; exit 0 ;;
        --)            shift; DRIVER_ARGS+=("$@"); break ;;
        --scenarios | --levels | --duration | --warmup | --model | --results)
            # No value may start with "-": "--levels --duration 5" lacks a level list.
            [ $# -ge 2 ] && [[ "$2" != -* ]] || bad_option "option $1 needs a value" ;;
        *)             bad_option "unknown option '$1'" ;;
    esac
    case "$1" in
        --scenarios) export LOAD_TEST_SCENARIOS="$2" ;;
        --levels)    export LOAD_TEST_LEVELS="$2" ;;
        --duration)  export LOAD_TEST_DURATION="$2" ;;
        --warmup)    export LOAD_TEST_WARMUP="$2" ;;
        --model)     [ "$2" = open ] || [ "$2" = closed ] || bad_option "--model must be open or closed, got '$2'"
                     DRIVER_ARGS+=(--model "$2") ;;
        --results)   RESULTS_DIR="$2" ;;
    esac
    shift 2
done
case "$RESULTS_DIR" in /*) ;; *) RESULTS_DIR="$PWD/$RESULTS_DIR" ;; esac  # before the cd below

cd "$(dirname "$0")/.."
./build.sh build
# The settings are checked by the code that reads them (ConfigMain, as `make config` does),
# so a bad LOAD_TEST_LEVELS is refused here, before a system is started for nothing.
if ! problem="$(./build.sh run analytics.config.ConfigMain 2>&1 >/dev/null)"; then
    echo "$ME: ${problem#config error: }" >&2
    exit "$EXIT_USAGE"
fi

LOGS=run/loadtest
CSV="$RESULTS_DIR/loadtest-$(date +%Y%m%d-%H%M%S).csv"
mkdir -p "$LOGS" "$RESULTS_DIR"

# --- The systems under test ---------------------------------------------------------------
source scripts/services.sh
DRIVER_PID=""
stop_driver() {  # the driver first, so it does not count the systems' stopping as errors
    if [ -n "$DRIVER_PID" ]; then stop_process "$DRIVER_PID"; DRIVER_PID=""; fi
}
trap 'stop_driver; stop_started' EXIT
trap 'echo "$ME: interrupted; stopping what it started" >&2; exit 130' INT  # then the EXIT trap
trap 'exit 143' TERM

if [ "$USE_RUNNING" = false ]; then
    [ -x "$(redis_server)" ] || { echo "$ME: redis-server is not installed (make loadtest installs it as root)" >&2; exit 1; }
    read -r REDIS_PORT HTTP_PORT HTTP2_PORT SYSTEM1_WS_PORT SYSTEM2_PORT <<<"$(free_ports 5)"
    start_redis "$REDIS_PORT" "$LOGS/redis.log"
    echo "$ME: started redis-server, pid $REDIS_PID, port $REDIS_PORT, log $LOGS/redis.log"
    start_system1 "$HTTP_PORT $HTTP2_PORT $SYSTEM1_WS_PORT $REDIS_PORT" "$LOGS/system1.log"
    echo "$ME: started System 1, pid $SYSTEM1_PID, ports $HTTP_PORT $HTTP2_PORT $SYSTEM1_WS_PORT, log $LOGS/system1.log"
    start_system2 "$SYSTEM2_PORT" "$LOGS/system2.log"
    echo "$ME: started System 2, pid $SYSTEM2_PID, port $SYSTEM2_PORT, log $LOGS/system2.log"
    export LOAD_TEST_TARGET_HTTP="http://127.0.0.1:$HTTP_PORT/metrics"
    export LOAD_TEST_TARGET_HTTP2="http://127.0.0.1:$HTTP2_PORT/metrics"
    export LOAD_TEST_TARGET_SYSTEM1_WS="ws://127.0.0.1:$SYSTEM1_WS_PORT"
    export LOAD_TEST_TARGET_WS="ws://127.0.0.1:$SYSTEM2_PORT"
    # System 1's CPU per metric counts its Redis too: every metric costs work in both.
    DRIVER_ARGS=(--system1-pids "$SYSTEM1_PID,$REDIS_PID" --system2-pids "$SYSTEM2_PID" "${DRIVER_ARGS[@]}")
fi

# --- The run, then its comparison -----------------------------------------------------------
# In the background, waited for: bash runs a trap only between commands, and `wait` is the
# one wait a signal interrupts - with the driver in the foreground, a `kill` of this script
# would wait for the whole run to end. (A background job ignores the terminal's Ctrl-C, so
# the INT trap stops the driver itself.)
echo "$ME: running the load driver; results in $CSV"
status=0
./build.sh run "$DRIVER" run --csv "$CSV" "${DRIVER_ARGS[@]}" &
DRIVER_PID=$!
wait "$DRIVER_PID" || status=$?
DRIVER_PID=""
if [ "$status" -ne 0 ]; then
    echo "$ME: the load driver stopped with exit status $status" >&2
    exit "$status"
fi
./build.sh run "$DRIVER" compare "$CSV"

echo "$ME: done: the run in $CSV, compared in ${CSV%.csv}-compare.csv, .md and .html"
if [ "$RESULTS_DIR" -ef results ]; then
    echo "$ME: make dashboard serves them at http://localhost:${DASHBOARD_PORT:-8080}/results/"
fi
