#!/usr/bin/env bash
# Benchmarks System 2 on this machine: starts it on a private port, runs the load
# generator (analytics.loadtest.System2Bench) once to warm up and then RUNS times per
# scenario, and prints each run plus the median. The server's own CPU time comes from
# /proc/PID/stat, so its cost per message is known even when the generator is the limit.
#
#   scripts/bench-system2.sh                 # all three scenarios, 3 runs each
#   RUNS=5 SECONDS_PER_RUN=10 scripts/bench-system2.sh ingest
#
# Only 127.0.0.1 is targeted; every run stops by itself after its duration.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-4190}"
RUNS="${RUNS:-3}"
SECONDS_PER_RUN="${SECONDS_PER_RUN:-10}"
SCENARIOS=("${@:-ingest rate fanout}")
read -r -a SCENARIOS <<<"${SCENARIOS[*]}"
CSV="results/system2-bench-$(date +%Y%m%d-%H%M%S).csv"
CLK_TCK="$(getconf CLK_TCK)"
mkdir -p results run

./build.sh build
source scripts/services.sh
trap stop_started EXIT
start_system2 "$PORT" run/bench-system2.log

bench() {  # bench SCENARIO CSV_FILE
    local args=(--url "ws://127.0.0.1:$PORT" --scenario "$1" --seconds "$SECONDS_PER_RUN" --warmup 2
                --server-pid "$SYSTEM2_PID" --clk-tck "$CLK_TCK")
    case "$1" in
        ingest) args+=(--connections 50 --window 100) ;;
        rate)   args+=(--connections 50 --rate "${RATE:-10000}") ;;
        fanout) args+=(--dashboards 200 --connections 10 --rate 500) ;;
    esac
    ./build.sh run analytics.loadtest.System2Bench "${args[@]}" --csv "$2"
}

echo "== warm-up (not recorded)"
for scenario in "${SCENARIOS[@]}"; do bench "$scenario" "run/bench-warmup.csv" >/dev/null; done

for scenario in "${SCENARIOS[@]}"; do
    echo "== $scenario: $RUNS runs of ${SECONDS_PER_RUN}s"
    for run in $(seq 1 "$RUNS"); do bench "$scenario" "$CSV"; done
done

echo "== medians (from $CSV)"
awk -F, 'NR > 1 { key = $1; n[key]++; rate[key, n[key]] = $4; p50[key, n[key]] = $5; p99[key, n[key]] = $6; cpu[key, n[key]] = $8; unit[key] = $3 }
    function median(arr, key, count,    i, j, t, v) {
        for (i = 1; i <= count; i++) v[i] = arr[key, i]
        for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++) if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
        return v[int((count + 1) / 2)]
    }
    END { for (k in n) printf "%-7s %8.0f %s/s   p50 %7.2f ms   p99 %7.2f ms   %6.2f us server CPU per %s\n",
          k, median(rate, k, n[k]), unit[k], median(p50, k, n[k]), median(p99, k, n[k]), median(cpu, k, n[k]), unit[k] }' "$CSV"
