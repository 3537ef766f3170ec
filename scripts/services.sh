# Sourced, not run, by the scripts that start the systems themselves (scripts/loadtest.sh,
# scripts/bench-system1.sh, scripts/bench-system2.sh): free loopback ports, a private Redis,
# System 1 and System 2 in the background with their output in a log file, waiting until
# each answers, and stopping them by PID. Sourced because a PID can only be waited for by
# the shell that started it. Expects to run in the project root, after ./build.sh build.
#
#   free_ports N                      N distinct free loopback ports, on one line
#   start_redis PORT LOG              redis-server, no persistence, in a temp dir of its own
#   start_system1 PORTS LOG [CHECKOUT]  PORTS = "HTTP HTTP2 WS REDIS"; CHECKOUT: whose System 1
#   start_system2 PORT LOG
#   start_reference PORT LOG SOURCE [CLASSPATH]  a benchmark reference (scripts/bench/*.java)
#                                     in source-file mode; stop_reference stops it
#   stop_started                      stops what was started, the last started first (a trap)
#
# And what the benchmark scripts measure with:
#   cpu_of PID...                     CPU seconds (utime + stime) of the PIDs, from /proc
#   jit_cpu_of PID                    CPU seconds of the JVM's JIT compiler threads so far
#   redis_command_time PORT COUNT     Redis's own time per unit of work, by command, since
#                                     the counters were zeroed (redis-cli CONFIG RESETSTAT)
#   warm_up PID MIN MAX COMMAND...    runs COMMAND (a load for a few seconds) again and again,
#                                     at least MIN seconds, until the JIT has settled or MAX
#   to_ms VALUE                       wrk's and h2load's "1.23ms" / "850.00us" / "1.02s" in ms
#   median                            the median of the numbers on stdin (lines or spaces)
#
# A start_ function returns once the process answers (Redis: PING; the systems: GET /healthz
# on every port), or prints why not - with the log's last lines - and returns 1.
# Every process started here also stops when the calling shell dies, even of SIGKILL: the JVMs
# watch its PID (analytics.supervisor.pid, as under `make run`), and Redis is started through
# setpriv --pdeathsig where util-linux has it (Linux), so the kernel sends it SIGTERM.

REDIS_PID="" SYSTEM1_PID="" SYSTEM2_PID="" REDIS_DIR="" REFERENCE_PID=""   # set by the start_ functions
SERVICES_NAME="${0##*/}"   # the sourcing script's name, for its messages
SERVICES_JAVA_OPTS="${JAVA_OPTS:-} -Danalytics.supervisor.pid=$$"
# Redis in a process group of its own: Ctrl-C in a terminal signals the foreground group only,
# and Redis, unlike a JVM, acts on a SIGINT even when started with it ignored - it would stop
# before the systems that use it.
SERVICES_OWN_GROUP=(python3 -c 'import os, sys; os.setpgid(0, 0); os.execvp(sys.argv[1], sys.argv[1:])')
SERVICES_PARENT_DEATH=()
if setpriv --pdeathsig TERM -- true >/dev/null 2>&1; then
    SERVICES_PARENT_DEATH=(setpriv --pdeathsig TERM --)
fi

free_ports() {  # the kernel picks each port (bind to 0); all sockets stay open until all are picked
    python3 -c 'import socket, sys
sockets = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in sockets: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in sockets))' "$1"
}

redis_server() {  # the installed redis-server: on the PATH, or where Debian puts it
    command -v redis-server 2>/dev/null || echo /usr/bin/redis-server
}

# wait_until NAME PID LOG CHECK...: runs CHECK every 0.1 s until it succeeds, for at most
# 15 s and only while PID lives (a system that exits at once - a port taken - fails fast).
wait_until() {
    local name="$1" pid="$2" log="$3"
    shift 3
    for _ in $(seq 1 150); do
        "$@" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "$SERVICES_NAME: $name did not start (pid $pid); the last lines of $log:" >&2
    tail -n 15 "$log" | sed 's/^/    /' >&2
    return 1
}

answers_http() {  # answers_http PORT...: GET /healthz on each port answers 2xx
    local port
    for port in "$@"; do curl -fs --max-time 1 "http://127.0.0.1:$port/healthz" >/dev/null || return 1; done
}

# Persistence off and a directory of its own: a stopped run leaves no dump file behind.
start_redis() {
    local port="$1" log="$2"
    REDIS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/private-redis.XXXXXX")"
    "${SERVICES_OWN_GROUP[@]}" "${SERVICES_PARENT_DEATH[@]}" "$(redis_server)" --bind 127.0.0.1 \
        --port "$port" --save "" --appendonly no --dir "$REDIS_DIR" --daemonize no --loglevel warning \
        >"$log" 2>&1 &
    REDIS_PID=$!
    wait_until "redis-server" "$REDIS_PID" "$log" redis-cli -h 127.0.0.1 -p "$port" ping
}

# System 1's settings are all given here, so a .env meant for `make run` (another Redis, a
# password) does not leak into a private run; a blank value is the setting's default.
start_system1() {
    local http http2 ws redis log="$2" checkout="${3:-.}"
    read -r http http2 ws redis <<<"$1"
    BIND_HOST=127.0.0.1 SYSTEM1_HTTP_PORT="$http" SYSTEM1_HTTP2_PORT="$http2" SYSTEM1_WS_PORT="$ws" \
        SYSTEM1_REDIS_HOST=127.0.0.1 SYSTEM1_REDIS_PORT="$redis" SYSTEM1_REDIS_DB= SYSTEM1_REDIS_USERNAME= \
        SYSTEM1_REDIS_PASSWORD= LOG_LEVEL=warn JAVA_OPTS="$SERVICES_JAVA_OPTS" \
        "$checkout/build.sh" run analytics.system1.System1Main >"$log" 2>&1 &
    SYSTEM1_PID=$!  # build.sh execs java, so this is System 1's JVM
    wait_until "System 1" "$SYSTEM1_PID" "$log" answers_http "$http" "$http2" "$ws"
}

start_system2() {
    local port="$1" log="$2"
    BIND_HOST=127.0.0.1 SYSTEM2_WS_PORT="$port" LOG_LEVEL=warn JAVA_OPTS="$SERVICES_JAVA_OPTS" \
        ./build.sh run analytics.system2.System2Main >"$log" 2>&1 &
    SYSTEM2_PID=$!
    wait_until "System 2" "$SYSTEM2_PID" "$log" answers_http "$port"
}

accepts_tcp() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A reference server in source-file mode (java scripts/bench/X.java PORT), with the flags every
# JVM started here gets; ready once its port accepts a connection.
start_reference() {
    local port="$1" log="$2" source="$3" classpath=()
    [ -n "${4:-}" ] && classpath=(-cp "$4")
    # shellcheck disable=SC2086
    "$(./build.sh java-home)/bin/java" $SERVICES_JAVA_OPTS "${classpath[@]}" "$source" "$port" >"$log" 2>&1 &
    REFERENCE_PID=$!
    wait_until "${source##*/}" "$REFERENCE_PID" "$log" accepts_tcp "$port"
}

stop_reference() { [ -z "$REFERENCE_PID" ] || stop_process "$REFERENCE_PID"; REFERENCE_PID=""; }

# A JVM takes up to SHUTDOWN_TIMEOUT_MS (10 s) to stop gracefully; past 15 s it is stuck.
stop_process() {
    local pid="$1"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 150); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# The systems before the Redis System 1 writes to, so none of them logs a lost connection.
stop_started() {
    local pid
    for pid in "$REFERENCE_PID" "$SYSTEM2_PID" "$SYSTEM1_PID" "$REDIS_PID"; do
        [ -n "$pid" ] && stop_process "$pid"
    done
    [ -n "$REDIS_DIR" ] && rm -rf "$REDIS_DIR"
    SYSTEM2_PID="" SYSTEM1_PID="" REDIS_PID="" REDIS_DIR="" REFERENCE_PID=""
}

# --- Measuring ------------------------------------------------------------------------------

SERVICES_CLK_TCK="$(getconf CLK_TCK)"
cpu_of() {  # CPU seconds of the PIDs: fields 14 and 15 of /proc/PID/stat, counted after the name's ')'
    local pid
    for pid in "$@"; do sed 's/.*) //' "/proc/$pid/stat"; done \
        | awk -v hz="$SERVICES_CLK_TCK" '{ s += $12 + $13 } END { printf "%.3f", s / hz }'
}
# The JIT compiler threads are named "C1 CompilerThread0", "C2 CompilerThread1"... (the kernel
# keeps 15 characters of a thread's name): their CPU is the JIT at work.
jit_cpu_of() {
    local task comm
    for task in /proc/"$1"/task/*; do
        comm="$(cat "$task/comm" 2>/dev/null)" || continue
        case "$comm" in C1\ CompilerThre* | C2\ CompilerThre*) sed 's/.*) //' "$task/stat" 2>/dev/null ;; esac
    done | awk -v hz="$SERVICES_CLK_TCK" '{ s += $12 + $13 } END { printf "%.3f", s / hz }'
}

# Redis counts, for every command, its calls and the microseconds spent running them (INFO
# commandstats). Zeroed before a measured run and read after it, they say where Redis's CPU
# went per unit of work - one line, the four costliest first: "evalsha 12.40 (0.024 calls,
# 516.7 us each); ...". Commands a script calls are counted in the script's own time too.
redis_command_time() {
    redis-cli -h 127.0.0.1 -p "$1" info commandstats | tr -d '\r' | awk -F'[:,=]' -v n="$2" '
        /^cmdstat_/ && n > 0 {
            sub(/^cmdstat_/, "", $1)
            printf "%.2f %s (%.3f calls, %.1f us each)\n", $5 / n, $1, $3 / n, $7
        }' | sort -rn | head -n 4 | awk '{ line = line (NR > 1 ? "; " : "") $2 " " $1 " " $3 " " $4 " " $5 " " $6 " " $7 } END { print line }'
}

# warm_up PID MIN MAX COMMAND...: a JVM is warm when its JIT has stopped compiling, not after
# a fixed time - a large program (System 1's whole pipeline) keeps compiling for half a
# minute under load, a small one (the bare reference) for a few seconds. COMMAND is run again
# and again (each run a few seconds of load), for at least MIN seconds, until a run in which
# the compiler threads used under 2 % of one core, or MAX seconds. Sets WARM_UP_SECONDS (how
# long it took) and WARM_UP_SETTLED (yes, or no when MAX came first); fails as soon as
# COMMAND fails, with its status.
warm_up() {
    local pid="$1" min="$2" max="$3" t0 jit0 jit1 start end
    shift 3
    t0="$(date +%s)"
    WARM_UP_SETTLED=no
    while :; do
        start="$(date +%s%3N)"; jit0="$(jit_cpu_of "$pid")"
        "$@" || return
        end="$(date +%s%3N)"; jit1="$(jit_cpu_of "$pid")"
        WARM_UP_SECONDS=$(( $(date +%s) - t0 ))
        if [ "$WARM_UP_SECONDS" -ge "$min" ] \
            && awk -v a="$jit0" -v b="$jit1" -v ms=$((end - start)) 'BEGIN { exit !((b - a) * 1000 < 0.02 * ms) }'; then
            WARM_UP_SETTLED=yes; return
        fi
        [ "$WARM_UP_SECONDS" -lt "$max" ] || return 0
    done
}

to_ms() {
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0;
                           else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}
median() {
    tr -s ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
