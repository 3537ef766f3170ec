#!/usr/bin/env bash
# The long fuzz run: the fuzz tests `make test` runs with a few thousand inputs each, run
# with many more, and stopped after a deadline whatever happens.
#
#   scripts/fuzz.sh                                     # 1,000,000 inputs per decoder, 60 min at most
#   FUZZ_ITERATIONS=100000 FUZZ_MINUTES=10 scripts/fuzz.sh
#   FUZZ_SEED=0x1234 scripts/fuzz.sh                    # other inputs than the fixed default seed
#
# The socket target (Http1ServerFuzzTest) tries FUZZ_ITERATIONS / 100 requests: each costs a
# connection. A failure prints its seed, its input number and the input in hex; the same
# FUZZ_SEED gives the same inputs again. Loopback only; the test's server stops with it.
set -euo pipefail
cd "$(dirname "$0")/.."

export FUZZ_ITERATIONS="${FUZZ_ITERATIONS:-1000000}"
FUZZ_MINUTES="${FUZZ_MINUTES:-60}"
TESTS=(
    analytics.http.RequestHeadFuzzTest
    analytics.http.Http1ServerFuzzTest
    analytics.websocket.FrameDecoderFuzzTest
    analytics.http2.frame.FrameDecoderFuzzTest
    analytics.http2.hpack.HpackDecoderFuzzTest
    analytics.model.UntrustedJsonFuzzTest
)
selectors=()
for test in "${TESTS[@]}"; do selectors+=(--select-class "$test"); done

echo "fuzz.sh: $FUZZ_ITERATIONS inputs per decoder, seed ${FUZZ_SEED:-the default}," \
     "at most $FUZZ_MINUTES min" >&2
# TERM at the deadline, KILL 30 s later if the JVM is stuck: the run is bounded either way.
status=0
timeout --kill-after=30 "$((FUZZ_MINUTES * 60))" ./build.sh test "${selectors[@]}" || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "fuzz.sh: stopped at the $FUZZ_MINUTES min deadline; lower FUZZ_ITERATIONS to finish" >&2
fi
exit "$status"
