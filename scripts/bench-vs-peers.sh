#!/usr/bin/env bash
# Both systems against the best plain-Java peers, in one run, with clients we did not write
# (issue 12's "How to measure"). Each round, one after the other on free loopback ports:
#
#   http1  wrk -t1 -c50 POSTs a metric (scripts/wrk-post-metric.lua), first to the bare JDK
#          server with Http1Server's settings (scripts/bench/BareHttpServer.java), then to a
#          fresh System 1 on a private Redis. Accepted req/s, non-2xx and socket errors, and
#          the server's CPU per request from /proc: System 1's JVM and Redis, apart and
#          together, from the end of the warm-up until the workers have caught up (GET /stats
#          shows group lag and pending 0 - how long that took is reported too). And Redis's
#          own counters (INFO commandstats, zeroed before the run): its time per request by
#          command, the four costliest.
#   ws     Node's `ws` (scripts/ws-load.mjs: 50 connections, each keeping 100 metrics in
#          flight, the next sent as an ack arrives) against Java-WebSocket 1.6.0 answering
#          the same ack (scripts/bench/JavaWebSocketAckServer.java), then a fresh System 2.
#          Acks/s and the server's CPU per ack over exactly the measured window.
#   paced  the same client and servers in an open model: 10,000 metrics/s from 1,000
#          connections (10 a second each, RATE in ws-load.mjs), as real producers send -
#          one metric per read, so what a message costs apart from its neighbours shows.
#
# Every server is warmed up first, not measured: the same load, 5 s at a time, for at least
# WARMUP_SECONDS and until the JIT has settled - a 5 s stretch in which the JVM's compiler
# threads used under 2 % of a core (services.sh warm_up; at most WARMUP_MAX_SECONDS). A fixed
# 10 s is not enough: System 1's pipeline keeps C2 busy for 25 s under wrk, and measured then
# it cost twice its settled CPU per request. The warm-up each server took, and the JIT's CPU
# during the measured run, are in the CSV. Every JVM gets the same flags: JAVA_OPTS as you
# set it (none by default, as `make run`), printed. Then the medians of
# RUNS rounds and the two ratios issue 12 sets targets for:
#   System 1 rate / bare JDK rate           >= 0.5 (stretch 0.6), with 0 errors, lag 0 within 1 s
#   System 2 CPU per ack / Java-WebSocket's  <= 0.7 (stretch 0.5)
#
#   scripts/bench-vs-peers.sh                               # 3 rounds, 10-60 s warm-up + 15 s each
#   RUNS=1 SECONDS_PER_RUN=5 WARMUP_SECONDS=3 scripts/bench-vs-peers.sh   # a smoke run (~1.5 min)
#   JAVA_OPTS="-XX:+UseParallelGC" scripts/bench-vs-peers.sh            # other flags, all JVMs
#   WORKLOADS="ws paced" scripts/bench-vs-peers.sh          # some of http1, ws, paced
#
# Writes results/bench-vs-peers-<date>-<time>.csv (one row per server and round) and
# -summary.csv (the medians, ratios, machine and commands). Needs wrk, redis-server and Node's
# ws in lib/node (scripts/ensure-tools.sh installs them as root), and the network once, to
# fetch the Java-WebSocket jar (./build.sh classpath bench). Only 127.0.0.1 is used; every
# step is bounded; on exit, Ctrl-C or kill only the processes this script started are stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-15}"
WARMUP_SECONDS="${WARMUP_SECONDS:-10}"
WARMUP_MAX_SECONDS="${WARMUP_MAX_SECONDS:-60}"
WARMUP_CHUNK_SECONDS=5       # the load runs this long between two looks at the JIT
LAG_TIMEOUT_MS=30000          # the workers must catch up within this, or the row says timeout
HTTP_CONNECTIONS=50           # wrk -t1 -c50
WS_CONNECTIONS=50 WS_IN_FLIGHT=100
PACED_CONNECTIONS=1000 PACED_RATE=10000
WORKLOADS="${WORKLOADS:-http1 ws paced}"
[[ "$WORKLOADS" =~ ^(http1|ws|paced)( (http1|ws|paced))*$ ]] \
    || { echo "bench-vs-peers.sh: WORKLOADS is one or more of http1 ws paced" >&2; exit 64; }
for setting in RUNS SECONDS_PER_RUN WARMUP_SECONDS WARMUP_MAX_SECONDS; do
    [[ "${!setting}" =~ ^[1-9][0-9]{0,3}$ ]] \
        || { echo "bench-vs-peers.sh: $setting must be a whole number from 1 to 9999" >&2; exit 64; }
done

REDIS_URL="" scripts/ensure-tools.sh redis wrk node-ws
./build.sh build
BENCH_CLASSPATH="$(./build.sh classpath bench)"   # fetches Java-WebSocket (needed-for bench) once
JAVA="$(./build.sh java-home)/bin/java"
CLK_TCK="$(getconf CLK_TCK)"

source scripts/services.sh
CLIENT_PID=""
stop_client() { [ -z "$CLIENT_PID" ] || kill -TERM "$CLIENT_PID" 2>/dev/null || true; CLIENT_PID=""; }
trap 'stop_client; stop_started' EXIT
trap 'exit 130' INT TERM

LOGS="run/bench-vs-peers"
STAMP="$(date +%Y%m%d-%H%M%S)"
CSV="results/bench-vs-peers-$STAMP.csv"
SUMMARY="results/bench-vs-peers-$STAMP-summary.csv"
mkdir -p results "$LOGS"
echo "round,workload,server,client,seconds,units,per_s,errors,server_cpu_us_per_unit,jvm_cpu_us_per_unit,redis_cpu_us_per_unit,p50_ms,p99_ms,lag_zero_ms,warmup_s,jit_settled,jit_cpu_s,redis_us_by_command" >"$CSV"

CPU_MODEL="$(lscpu 2>/dev/null | awk -F: '/^Model name/ { sub(/^ +/, "", $2); print $2; exit }')"
JDK_VERSION="$("$JAVA" -version 2>&1 | head -n 1)"
# What the JVM made of the flags (heap sizes, GC): the same line for every JVM started here.
# shellcheck disable=SC2086
JVM_FLAGS="$("$JAVA" ${JAVA_OPTS:-} -XX:+PrintCommandLineFlags -version 2>&1 | head -n 1 \
    | sed 's/ -XX:+PrintCommandLineFlags//; s/ *$//')"
WRK_COMMAND="wrk -t1 -c$HTTP_CONNECTIONS -d${SECONDS_PER_RUN}s --latency -s scripts/wrk-post-metric.lua http://127.0.0.1:PORT/metrics"
WS_RAMP_SECONDS=2            # ws-load.mjs's own warm-up in the measured run: the connections open
WS_COMMAND="node scripts/ws-load.mjs ws://127.0.0.1:PORT $WS_CONNECTIONS $WS_IN_FLIGHT $WS_RAMP_SECONDS $SECONDS_PER_RUN"
PACED_COMMAND="RATE=$PACED_RATE node scripts/ws-load.mjs ws://127.0.0.1:PORT $PACED_CONNECTIONS 1 $WS_RAMP_SECONDS $SECONDS_PER_RUN"
echo "bench-vs-peers.sh: $RUNS round(s); per server a warm-up of ${WARMUP_SECONDS}-${WARMUP_MAX_SECONDS} s (until the JIT settles), then ${SECONDS_PER_RUN} s measured"
echo "  CPU:        $CPU_MODEL ($(nproc) cores)"
echo "  JDK:        $JDK_VERSION ($JAVA)"
echo "  every JVM:  JAVA_OPTS='${JAVA_OPTS:-}' -Danalytics.supervisor.pid=$$  ->  $JVM_FLAGS"
echo "  http1:      $WRK_COMMAND"
echo "  ws:         $WS_COMMAND"
echo "  paced:      $PACED_COMMAND"
echo "  workloads:  $WORKLOADS"

us_per() {  # us_per SECONDS_BEFORE SECONDS_AFTER COUNT: microseconds per unit
    awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { if (n > 0) printf "%.2f", (b - a) * 1e6 / n; else print "nan" }'
}
# stream_field PORT NAME: groupLag or pending of System 1's /stats ("stream":{...}), or empty
stream_field() {
    curl -fs --max-time 1 "http://127.0.0.1:$1/stats" | grep -o "\"$2\":-\\?[0-9]*" | cut -d: -f2
}
# until_caught_up PORT: waits until the workers have read and acknowledged every entry; prints
# the milliseconds it took (the /stats figures are refreshed every 200 ms), or "timeout".
until_caught_up() {
    local t0 now
    t0="$(date +%s%3N)"
    while :; do
        now="$(date +%s%3N)"
        if [ "$(stream_field "$1" groupLag)" = 0 ] && [ "$(stream_field "$1" pending)" = 0 ]; then
            echo $((now - t0)); return
        fi
        [ $((now - t0)) -lt "$LAG_TIMEOUT_MS" ] || { echo timeout; return; }
        sleep 0.05
    done
}

# run_client COMMAND...: a load client, its output in $CLIENT_OUT. In the background and
# waited for: bash runs a trap only once its foreground command has ended, but interrupts a
# `wait` at once - so a plain kill (SIGTERM) ends the run now, not when the client is done.
# The trap stops the client too.
CLIENT_OUT="$LOGS/client.out"
run_client() {
    "$@" >"$CLIENT_OUT" 2>&1 &
    CLIENT_PID=$!
    local status=0
    wait "$CLIENT_PID" || status=$?
    CLIENT_PID=""
    return "$status"
}

wrk_run() {  # wrk_run SECONDS PORT: one wrk run; its report in $CLIENT_OUT
    run_client wrk -t1 -c"$HTTP_CONNECTIONS" -d"${1}s" --latency -s scripts/wrk-post-metric.lua \
        "http://127.0.0.1:$2/metrics"
}

# http_warm_up_stretch PORT [REDIS_PID]: one stretch of the warm-up - wrk, then on System 1 the
# same GET /stats polls that come between the warm-up and the measured run. The JIT has to
# have seen those too: met first after the warm-up, their branches - never taken by a POST -
# trap in code compiled without them, and System 1's hot HTTP path was thrown away and
# compiled again inside the measured window (`-XX:+LogCompilation` showed it: 1.7-3.2 s of
# JIT CPU in the 15 s).
http_warm_up_stretch() {
    wrk_run "$WARMUP_CHUNK_SECONDS" "$1"
    [ -z "${2:-}" ] || until_caught_up "$1" >/dev/null
}

# http_round ROUND SERVER PORT JVM_PID [REDIS_PID REDIS_PORT]: warm-up, the measured wrk run,
# one CSV row. With Redis, also Redis's own time per request by command (redis_command_time).
http_round() {
    local round="$1" server="$2" port="$3" jvm="$4" redis="${5:-}" redis_port="${6:-}" out lag="" jvm0 jvm1 redis0=0 redis1=0
    local jit0 jit1
    warm_up "$jvm" "$WARMUP_SECONDS" "$WARMUP_MAX_SECONDS" http_warm_up_stretch "$port" "$redis" \
        || { echo "bench-vs-peers.sh: warming $server up failed:" >&2; cat "$CLIENT_OUT" >&2; exit 1; }
    [ -z "$redis" ] || lag="$(until_caught_up "$port")"   # the warm-up's backlog is not measured
    [ -z "$redis" ] || redis-cli -h 127.0.0.1 -p "$redis_port" config resetstat >/dev/null
    jvm0="$(cpu_of "$jvm")"; [ -z "$redis" ] || redis0="$(cpu_of "$redis")"; jit0="$(jit_cpu_of "$jvm")"
    wrk_run "$SECONDS_PER_RUN" "$port"
    jit1="$(jit_cpu_of "$jvm")"
    out="$(cat "$CLIENT_OUT")"
    # System 1's cost of a request includes the workers' share, done by the time they catch up.
    [ -z "$redis" ] || lag="$(until_caught_up "$port")"
    jvm1="$(cpu_of "$jvm")"; [ -z "$redis" ] || redis1="$(cpu_of "$redis")"
    local requests seconds non2xx socket ok
    requests="$(awk '/requests in/ { print $1 }' <<<"$out")"
    seconds="$(awk '/requests in/ { sub(/s,?$/, "", $4); print $4 }' <<<"$out")"
    non2xx="$(awk '/Non-2xx/ { print $NF }' <<<"$out")"
    socket="$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")"
    [ -n "$requests" ] || { echo "bench-vs-peers.sh: wrk against $server gave no result:" >&2; echo "$out" >&2; exit 1; }
    ok=$((requests - ${non2xx:-0}))
    local rate total jvm_us redis_us p50 p99
    rate="$(awk -v n="$ok" -v s="$seconds" 'BEGIN { printf "%.1f", n / s }')"
    total="$(us_per "$(awk -v a="$jvm0" -v b="$redis0" 'BEGIN { print a + b }')" \
                    "$(awk -v a="$jvm1" -v b="$redis1" 'BEGIN { print a + b }')" "$ok")"
    jvm_us="$(us_per "$jvm0" "$jvm1" "$ok")"
    redis_us=""; [ -z "$redis" ] || redis_us="$(us_per "$redis0" "$redis1" "$ok")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")"
    local jit by_command=""
    jit="$(awk -v a="$jit0" -v b="$jit1" 'BEGIN { printf "%.2f", b - a }')"
    [ -z "$redis" ] || by_command="$(redis_command_time "$redis_port" "$ok")"
    echo "$round,http1,$server,wrk,$seconds,requests,$rate,$((${non2xx:-0} + ${socket:-0})),$total,$jvm_us,$redis_us,$p50,$p99,$lag,$WARM_UP_SECONDS,$WARM_UP_SETTLED,$jit,\"$by_command\"" >>"$CSV"
    printf '  %-15s %9.0f req/s  %s errors  p50 %6.2f ms  p99 %6.2f ms  %7.2f us CPU/request%s  (warm-up %s s, JIT %s s while measured)\n' \
        "$server" "$rate" "$((${non2xx:-0} + ${socket:-0}))" "$p50" "$p99" "$total" \
        "${redis:+ (JVM $jvm_us + Redis $redis_us), lag 0 after $lag ms}" "$WARM_UP_SECONDS" "$jit"
    [ -z "$redis" ] || echo "                  Redis's own us per request, by command: $by_command"
}

# ws_load WORKLOAD PID PORT RAMP SECONDS: one ws-load.mjs run, its JSON line last in $CLIENT_OUT.
ws_load() {
    local workload="$1" pid="$2" port="$3" ramp="$4" seconds="$5" connections="$WS_CONNECTIONS"
    local in_flight="$WS_IN_FLIGHT" rate=""
    [ "$workload" != paced ] || { connections="$PACED_CONNECTIONS"; in_flight=1; rate="$PACED_RATE"; }
    # timeout: a connection that neither opens nor fails would keep ws-load.mjs waiting
    run_client env SERVER_PIDS="$pid" CLK_TCK="$CLK_TCK" RATE="$rate" timeout $((ramp + seconds + 60)) \
        node scripts/ws-load.mjs "ws://127.0.0.1:$port" "$connections" "$in_flight" "$ramp" "$seconds"
}

# ws_round WORKLOAD ROUND SERVER PORT PID: warm-up until the JIT settles, then Node's ws
# measures; one CSV row.
ws_round() {
    local workload="$1" round="$2" server="$3" port="$4" pid="$5" out jit0 jit1
    warm_up "$pid" "$WARMUP_SECONDS" "$WARMUP_MAX_SECONDS" ws_load "$workload" "$pid" "$port" 0 "$WARMUP_CHUNK_SECONDS" \
        || { echo "bench-vs-peers.sh: warming $server up failed:" >&2; cat "$CLIENT_OUT" >&2; exit 1; }
    jit0="$(jit_cpu_of "$pid")"
    ws_load "$workload" "$pid" "$port" "$WS_RAMP_SECONDS" "$SECONDS_PER_RUN" \
        || { echo "bench-vs-peers.sh: ws-load.mjs against $server failed:" >&2; cat "$CLIENT_OUT" >&2; exit 1; }
    jit1="$(jit_cpu_of "$pid")"
    out="$(cat "$CLIENT_OUT")"
    python3 - "$workload" "$round" "$server" "$out" "$WARM_UP_SECONDS" "$WARM_UP_SETTLED" "$jit0" "$jit1" >>"$CSV" <<'PY'
import json, sys
workload, round_, server = sys.argv[1], sys.argv[2], sys.argv[3]
out = json.loads(sys.argv[4].strip().splitlines()[-1])
warm, settled, jit = sys.argv[5], sys.argv[6], float(sys.argv[8]) - float(sys.argv[7])
cpu = out["serverCpuSeconds"] * 1e6 / out["acks"] if out["acks"] else float("nan")
print(f'{round_},{workload},{server},node-ws,{out["seconds"]},acks,{out["perSecond"]:.1f},{out["errors"]},'
      f'{cpu:.2f},{cpu:.2f},,{out["p50Ms"]:.3f},{out["p99Ms"]:.3f},,{warm},{settled},{jit:.2f},')
PY
    tail -n 1 "$CSV" | awk -F, '{ printf "  %-15s %9.0f acks/s   %s errors  p50 %6.2f ms  p99 %6.2f ms  %7.2f us CPU/ack  (warm-up %s s, JIT %s s while measured)\n",
        $3, $7, $8, $12, $13, $9, $15, $17 }'
}

# ws_pair WORKLOAD ROUND: the reference, then a fresh System 2, under one WebSocket workload.
ws_pair() {
    local port
    port="$(free_ports 1)"
    start_reference "$port" "$LOGS/java-websocket.log" scripts/bench/JavaWebSocketAckServer.java "$BENCH_CLASSPATH"
    ws_round "$1" "$2" java-websocket "$port" "$REFERENCE_PID"
    stop_reference
    port="$(free_ports 1)"
    start_system2 "$port" "$LOGS/system2.log"
    ws_round "$1" "$2" system2 "$port" "$SYSTEM2_PID"
    stop_started
}

for round in $(seq 1 "$RUNS"); do
    echo "== round $round of $RUNS"
    if [[ " $WORKLOADS " == *" http1 "* ]]; then
        echo " http1 (wrk -t1 -c$HTTP_CONNECTIONS)"
        port="$(free_ports 1)"
        start_reference "$port" "$LOGS/bare-http.log" scripts/bench/BareHttpServer.java
        http_round "$round" bare-jdk "$port" "$REFERENCE_PID"
        stop_reference
        read -r http http2 ws redis_port <<<"$(free_ports 4)"
        start_redis "$redis_port" "$LOGS/redis.log"
        start_system1 "$http $http2 $ws $redis_port" "$LOGS/system1.log"
        http_round "$round" system1 "$http" "$SYSTEM1_PID" "$REDIS_PID" "$redis_port"
        stop_started
    fi
    if [[ " $WORKLOADS " == *" ws "* ]]; then
        echo " ws (node ws, $WS_CONNECTIONS connections x $WS_IN_FLIGHT in flight)"
        ws_pair ws "$round"
    fi
    if [[ " $WORKLOADS " == *" paced "* ]]; then
        echo " paced (node ws, $PACED_RATE metrics/s from $PACED_CONNECTIONS connections)"
        ws_pair paced "$round"
    fi
done

echo "== medians of $RUNS round(s) ($CSV, $SUMMARY)"
RUNS="$RUNS" TIMES="warm-up $WARMUP_SECONDS-$WARMUP_MAX_SECONDS s until the JIT settles, then $SECONDS_PER_RUN s measured" CPU_MODEL="$CPU_MODEL ($(nproc) cores)" \
JDK_VERSION="$JDK_VERSION" JVM_FLAGS="JAVA_OPTS='${JAVA_OPTS:-}' -> $JVM_FLAGS" WRK_COMMAND="$WRK_COMMAND" \
WS_COMMAND="$WS_COMMAND" PACED_COMMAND="$PACED_COMMAND" python3 - "$CSV" "$SUMMARY" <<'PY'
import csv, os, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
def med(workload, server, key):
    values = [float(r[key]) for r in rows
              if r["workload"] == workload and r["server"] == server and r[key] not in ("", "nan", "timeout")]
    return statistics.median(values) if values else float("nan")
def yes(condition):
    return "yes" if condition else "no"
ran = {r["workload"] for r in rows}
summary = [("figure", "value", "target", "met")]
for workload, server, unit in (("http1", "bare-jdk", "request"), ("http1", "system1", "request"),
                               ("ws", "java-websocket", "ack"), ("ws", "system2", "ack"),
                               ("paced", "java-websocket", "ack"), ("paced", "system2", "ack")):
    if workload not in ran:
        continue
    name = f"{server}{' paced' if workload == 'paced' else ''}"
    summary.append((f"{name} {unit}s/s", f'{med(workload, server, "per_s"):.0f}', "", ""))
    summary.append((f"{name} server CPU us per {unit}", f'{med(workload, server, "server_cpu_us_per_unit"):.2f}', "", ""))
    warm = [r for r in rows if r["workload"] == workload and r["server"] == server]
    summary.append((f"{name} warm-up s (JIT settled in)", f'{med(workload, server, "warmup_s"):.0f} '
                    f'({sum(r["jit_settled"] == "yes" for r in warm)} of {len(warm)} rounds)', "", ""))
    summary.append((f"{name} JIT CPU s while measured", f'{med(workload, server, "jit_cpu_s"):.2f}', "", ""))
    if workload == "paced":
        summary.append((f"{name} p99 ms", f'{med(workload, server, "p99_ms"):.2f}', "", ""))
    errors = max(float(r["errors"]) for r in rows if r["workload"] == workload and r["server"] == server)
    summary.append((f"{name} errors (most in a round)", f"{errors:.0f}",
                    *(("0", yes(errors == 0)) if server == "system1" else ("", ""))))
if "http1" in ran:
    lags = [r["lag_zero_ms"] for r in rows if r["server"] == "system1"]
    lag = "timeout" if "timeout" in lags else f'{med("http1", "system1", "lag_zero_ms"):.0f}'
    summary.append(("system1 JVM CPU us per request", f'{med("http1", "system1", "jvm_cpu_us_per_unit"):.2f}', "", ""))
    summary.append(("system1 Redis CPU us per request", f'{med("http1", "system1", "redis_cpu_us_per_unit"):.2f}', "", ""))
    summary.append(("system1 lag 0 after ms (median)", lag, "<= 1000", yes(lag != "timeout" and float(lag) <= 1000)))
    rate = med("http1", "system1", "per_s") / med("http1", "bare-jdk", "per_s")
    summary.append(("system1 rate / bare-jdk rate", f"{rate:.2f}", ">= 0.5 (stretch 0.6)", yes(rate >= 0.5)))
    summary.append(("system1 CPU per request / bare-jdk's",
                    f'{med("http1", "system1", "server_cpu_us_per_unit") / med("http1", "bare-jdk", "server_cpu_us_per_unit"):.2f}', "", ""))
if "ws" in ran:
    cpu = med("ws", "system2", "server_cpu_us_per_unit") / med("ws", "java-websocket", "server_cpu_us_per_unit")
    summary.append(("system2 CPU per ack / java-websocket's", f"{cpu:.2f}", "<= 0.7 (stretch 0.5)", yes(cpu <= 0.7)))
    summary.append(("system2 rate / java-websocket rate",
                    f'{med("ws", "system2", "per_s") / med("ws", "java-websocket", "per_s"):.2f}', "", ""))
if "paced" in ran:
    summary.append(("system2 paced CPU per ack / java-websocket's",
                    f'{med("paced", "system2", "server_cpu_us_per_unit") / med("paced", "java-websocket", "server_cpu_us_per_unit"):.2f}',
                    "", ""))
env = os.environ
summary += [(figure, value, "", "") for figure, value in (
    ("rounds", env["RUNS"]), ("each server", env["TIMES"]), ("cpu model", env["CPU_MODEL"]),
    ("jdk", env["JDK_VERSION"]), ("jvm flags (every JVM)", env["JVM_FLAGS"]),
    ("http1 client", env["WRK_COMMAND"]), ("ws client", env["WS_COMMAND"]),
    ("paced client", env["PACED_COMMAND"]),
    ("bare-jdk server", "java $JAVA_OPTS scripts/bench/BareHttpServer.java PORT"),
    ("java-websocket server",
     'java $JAVA_OPTS -cp "$(./build.sh classpath bench)" scripts/bench/JavaWebSocketAckServer.java PORT'),
    ("system1, system2", "./build.sh run analytics.system1.System1Main, analytics.system2.System2Main"
                         " (scripts/services.sh; LOG_LEVEL=warn)"))]
with open(sys.argv[2], "w", newline="") as out:
    csv.writer(out).writerows(summary)
width = max(len(r[0]) for r in summary)
for figure, value, target, met in summary[1:]:
    print(f"  {figure:<{width}}  {value}" + (f"   target {target}" if target else "")
          + (f"   met: {met}" if met else ""))
PY
