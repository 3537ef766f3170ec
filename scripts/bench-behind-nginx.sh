#!/usr/bin/env bash
# What the extra hop costs (issue 15, lesson 21): System 1's ingest measured directly and
# through nginx (scripts/nginx/nginx.conf.template, as `make run-behind-nginx` and Docker
# Compose run it), in the same run, by clients we did not write:
#
#   http1  wrk -t1 -c50 POSTs a metric (scripts/wrk-post-metric.lua) to port 4000's ingest,
#          then to nginx's layer-7 proxy in front of it (keepalive upstream connections)
#   h2     h2load -c10 -m10 POSTs the same metric over h2c prior knowledge to the ingest's
#          HTTP/2 port, then to nginx's layer-4 (stream) proxy in front of it
#
# One System 1 (ingest, workers, broadcaster in one JVM) on a private Redis, one nginx with
# one upstream each, so the difference is the hop alone - nginx's CPU and a second loopback
# connection - not balancing. Every round measures direct and proxied back to back, in
# alternating order, after one warm-up of each; the medians of RUNS rounds and the ratio
# proxied/direct are printed and written to results/bench-behind-nginx-<time>.csv.
#
# Then a second view, by the project's own load driver (analytics.loadtest.driver, lesson 19)
# at a paced DRIVER_RATE (500/s: java.net.http costs about 0.3 ms of CPU per request, and
# the driver, System 1 and nginx share 2 cores) - an open model, so latency is measured from when each
# request was due: p50 and p99 direct and through nginx, HTTP/1.1 and HTTP/2 (the h2c
# upgrade through the stream proxy).
#
#   scripts/bench-behind-nginx.sh                              # 3 rounds of 15 s per row
#   RUNS=1 SECONDS_PER_RUN=5 scripts/bench-behind-nginx.sh     # a smoke run (~1 min)
#
# Needs wrk, h2load, nginx with its stream module and redis-server (scripts/ensure-tools.sh
# installs them as root). Loopback only, bounded; on exit only what it started is stopped.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS="${RUNS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-15}"
DRIVER_RATE="${DRIVER_RATE:-500}"
for setting in RUNS SECONDS_PER_RUN DRIVER_RATE; do
    [[ "${!setting}" =~ ^[1-9][0-9]{0,3}$ ]] \
        || { echo "bench-behind-nginx.sh: $setting must be a whole number from 1 to 9999" >&2; exit 64; }
done

REDIS_URL="" scripts/ensure-tools.sh redis wrk nghttp2 nginx
./build.sh build >/dev/null
source scripts/services.sh
NGINX_PID=""
stop_nginx() { [ -z "$NGINX_PID" ] || stop_process "$NGINX_PID"; NGINX_PID=""; }
trap 'stop_nginx; stop_started' EXIT
trap 'exit 130' INT TERM

LOGS="run/bench-behind-nginx"
STAMP="$(date +%Y%m%d-%H%M%S)"
CSV="results/bench-behind-nginx-$STAMP.csv"
mkdir -p results "$LOGS"
# latency: wrk's p50 and p99; h2load prints no percentiles, so its mean and its maximum
echo "round,protocol,path,requests_per_s,latency_ms,tail_ms,non_2xx,errors" >"$CSV"

read -r HTTP HTTP2 WS REDIS NGINX_HTTP NGINX_HTTP2 NGINX_WS <<<"$(free_ports 7)"
start_redis "$REDIS" "$LOGS/redis.log"
start_system1 "$HTTP $HTTP2 $WS $REDIS" "$LOGS/system1.log"

# The shipped template, filled as NginxTemplate fills it; only NGINX_* are replaced, so
# nginx's own $variables stay. Access logs go to a file here, not to the terminal.
STREAM_MODULE=/usr/lib/nginx/modules/ngx_stream_module.so
NGINX_LOAD_MODULES="$([ -f "$STREAM_MODULE" ] && echo "load_module $STREAM_MODULE;" || true)" \
NGINX_INGEST_HTTP_SERVERS="server 127.0.0.1:$HTTP;" NGINX_INGEST_HTTP2_SERVERS="server 127.0.0.1:$HTTP2;" \
NGINX_BROADCASTER_SERVERS="server 127.0.0.1:$WS;" NGINX_HTTP_LISTEN="127.0.0.1:$NGINX_HTTP" \
NGINX_HTTP2_LISTEN="127.0.0.1:$NGINX_HTTP2" NGINX_WS_LISTEN="127.0.0.1:$NGINX_WS" \
    envsubst '${NGINX_LOAD_MODULES} ${NGINX_INGEST_HTTP_SERVERS} ${NGINX_INGEST_HTTP2_SERVERS}
              ${NGINX_BROADCASTER_SERVERS} ${NGINX_HTTP_LISTEN} ${NGINX_HTTP2_LISTEN} ${NGINX_WS_LISTEN}' \
    <scripts/nginx/nginx.conf.template >"$LOGS/nginx.conf"
PREFIX="$(cd "$LOGS" && pwd)"
"$(command -v nginx || echo /usr/sbin/nginx)" -p "$PREFIX/" -c "$PREFIX/nginx.conf" \
    -g 'daemon off;' >"$LOGS/nginx.out" 2>&1 &
NGINX_PID=$!
wait_until "nginx" "$NGINX_PID" "$LOGS/nginx.out" answers_http "$NGINX_HTTP"

CPU_MODEL="$(lscpu 2>/dev/null | awk -F: '/^Model name/ { sub(/^ +/, "", $2); print $2; exit }')"
BODY="$LOGS/metric.json"
echo "{\"serverId\":\"nginx-bench\",\"timestamp\":$(date +%s%3N),\"metrics\":{\"cpu\":50,\"memory\":40,\"disk\":30,\"network\":{\"in\":100,\"out\":50}}}" >"$BODY"
WRK="wrk -t1 -c50 -d${SECONDS_PER_RUN}s --latency -s scripts/wrk-post-metric.lua http://127.0.0.1:PORT/metrics"
H2LOAD="h2load -t1 -c10 -m10 -D $SECONDS_PER_RUN -d $BODY -H 'content-type: application/json' http://127.0.0.1:PORT/metrics"
echo "bench-behind-nginx.sh: $RUNS round(s) of ${SECONDS_PER_RUN} s per row; CPU: $CPU_MODEL ($(nproc) cores)"
echo "  http1: $WRK"
echo "  h2:    $H2LOAD"

# measure ROUND PROTOCOL PATH PORT: one row, appended to the CSV (round 0 is the warm-up)
measure() {
    local round="$1" protocol="$2" path="$3" port="$4" out="$LOGS/$2-$3.out" rate p50 p99 bad errors
    # p50/p99: wrk's percentiles; for h2load its mean and maximum (the CSV calls them latency, tail)
    if [ "$protocol" = http1 ]; then
        wrk -t1 -c50 -d"${SECONDS_PER_RUN}s" --latency -s scripts/wrk-post-metric.lua \
            "http://127.0.0.1:$port/metrics" >"$out" 2>&1
        rate="$(awk '/^Requests\/sec/ { print $2 }' "$out")"
        p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
        p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
        bad="$(awk '/Non-2xx/ { print $NF }' "$out")"
        errors="$(awk '/Socket errors/ { gsub(/,/, ""); print $4 + $6 + $8 + $10 }' "$out")"
    else
        h2load -t1 -c10 -m10 -D "$SECONDS_PER_RUN" -d "$BODY" -H 'content-type: application/json' \
            "http://127.0.0.1:$port/metrics" >"$out" 2>&1
        rate="$(awk '/^finished in/ { print $4 }' "$out")"
        # h2load prints min, max, mean and sd per request, no percentiles: mean and max here
        p50="$(to_ms "$(awk '/^time for request:/ { print $6 }' "$out")")"
        p99="$(to_ms "$(awk '/^time for request:/ { print $5 }' "$out")")"
        bad="$(awk '/^status codes:/ { print $5 + $7 + $9 }' "$out")"
        errors="$(awk '/^requests:/ { print $12 + $14 }' "$out")"
    fi
    echo "$round,$protocol,$path,$rate,$p50,$p99,${bad:-0},${errors:-0}" >>"$CSV"
    [ "$round" = 0 ] || printf '  round %s  %-5s %-7s %10s req/s  latency %s ms  tail %s ms  non-2xx %s  errors %s\n' \
        "$round" "$protocol" "$path" "$rate" "$p50" "$p99" "${bad:-0}" "${errors:-0}"
}

for protocol in http1 h2; do
    direct="$HTTP" proxied="$NGINX_HTTP"
    [ "$protocol" = http1 ] || { direct="$HTTP2" proxied="$NGINX_HTTP2"; }
    measure 0 "$protocol" direct "$direct"
    measure 0 "$protocol" nginx "$proxied"
    for round in $(seq 1 "$RUNS"); do
        if [ $((round % 2)) = 1 ]; then
            measure "$round" "$protocol" direct "$direct"; measure "$round" "$protocol" nginx "$proxied"
        else
            measure "$round" "$protocol" nginx "$proxied"; measure "$round" "$protocol" direct "$direct"
        fi
    done
done

echo "== medians of $RUNS round(s); nginx/direct in the same run ($CSV)"
for protocol in http1 h2; do
    for column in 4 5 6; do
        for path in direct nginx; do
            awk -F, -v p="$protocol" -v w="$path" -v c="$column" '$1 > 0 && $2 == p && $3 == w { print $c }' "$CSV" \
                | median >"$LOGS/median.$path"
        done
        name="$(head -1 "$CSV" | cut -d, -f"$column")"
        printf '  %-5s %-15s direct %10s  nginx %10s  nginx/direct %s\n' "$protocol" "$name" \
            "$(cat "$LOGS/median.direct")" "$(cat "$LOGS/median.nginx")" \
            "$(awk -v a="$(cat "$LOGS/median.nginx")" -v b="$(cat "$LOGS/median.direct")" 'BEGIN { printf "%.2f", a / b }')"
    done
done

# The load driver's view: one level at DRIVER_RATE, after its own warm-up, each path once.
echo "== the load driver at $DRIVER_RATE metrics/s (open model), $SECONDS_PER_RUN s after 5 s of warm-up"
drive() {  # drive NAME HTTP_URL HTTP2_URL: one driver run of http1 and http2, its CSV in $LOGS
    rm -f "$LOGS/driver-$1.csv"   # the driver appends to an existing CSV
    LOAD_TEST_TARGET_HTTP="$2" LOAD_TEST_TARGET_HTTP2="$3" LOAD_TEST_SCENARIOS=http1,http2 \
        LOAD_TEST_LEVELS="$DRIVER_RATE" LOAD_TEST_DURATION="$SECONDS_PER_RUN" LOAD_TEST_WARMUP=5 \
        ./build.sh run analytics.loadtest.driver.LoadDriverMain run --csv "$LOGS/driver-$1.csv" \
        >"$LOGS/driver-$1.out" 2>&1
    awk -F, -v w="$1" 'NR > 1 { printf "  %-6s %-7s achieved %8s/s  p50 %s ms  p99 %s ms  errors %s\n", $1, w, $8, $10, $12, $15 }' \
        "$LOGS/driver-$1.csv"
}
drive direct "http://127.0.0.1:$HTTP/metrics" "http://127.0.0.1:$HTTP2/metrics"
drive nginx "http://127.0.0.1:$NGINX_HTTP/metrics" "http://127.0.0.1:$NGINX_HTTP2/metrics"
