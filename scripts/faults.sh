#!/usr/bin/env bash
# The fault campaign (issue 14, lesson 20): each scenario starts its own private Redis and the
# systems' programs on free loopback ports, kills a part with SIGKILL under load, and checks
# what must hold afterwards; the report goes to results/faults-<time>.md.
#
#   scripts/faults.sh                         # every scenario, about 6 minutes
#   scripts/faults.sh --only redis-kill       # one scenario
#   scripts/faults.sh --steady 60 --kills 60 --kill-every 10   # a soak: 10 minutes of kills
#   scripts/faults.sh --help                  # every option and scenario
#
# Exit status: 0 when every invariant held, 1 when one broke, 64 for a bad option. Bounded:
# the campaign is stopped after FAULTS_MINUTES (15 by default) whatever happens, and what it
# started stops with it (its programs watch its pid; Redis gets a parent-death signal).
set -euo pipefail
cd "$(dirname "$0")/.."

FAULTS_MINUTES="${FAULTS_MINUTES:-15}"
# overload and never-reading-dashboards judge the servers with clients we did not write.
REDIS_URL= scripts/ensure-tools.sh redis wrk nghttp2 node-ws
# idle-thousands holds 10,000 connections in one Node process: raise the soft limit on open
# files to the hard one, as far as it goes (the JVMs raise their own).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
status=0
timeout --kill-after=30 "$((FAULTS_MINUTES * 60))" \
    ./build.sh run analytics.faults.FaultCampaignMain "$@" || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "faults.sh: stopped at the $FAULTS_MINUTES min deadline" >&2
fi
exit "$status"
