#!/usr/bin/env bash
# make run-cluster (issue 15, lesson 21): System 1 scaled out on a Redis Cluster, on one
# machine - a local cluster of 3 masters and 3 replicas (scripts/redis-cluster.sh, ports
# 7000-7005 and their bus ports 17000-17005), the stream split into SYSTEM1_STREAM_SHARDS
# shards (4 by default: with 3 masters, 3 shards would leave one master without a shard),
# then `make run-behind-nginx`'s shape on it: 2 ingest processes, the workers and the
# broadcaster behind nginx on 4000-4002, the dashboard and fake servers. Ctrl-C stops the
# programs in order (BehindNginxMain), then the cluster (this script's EXIT trap).
#
# The cluster lives in run/redis-cluster/, made afresh each time; a cluster a killed run
# left behind (its PID files are there) is stopped first.
set -euo pipefail
cd "$(dirname "$0")/.."

DIR=run/redis-cluster
scripts/redis-cluster.sh stop "$DIR" 2>/dev/null || true
rm -rf "$DIR"
trap 'echo "run-cluster.sh: stopping the Redis Cluster"; scripts/redis-cluster.sh stop "$DIR"' EXIT
echo "run-cluster.sh: starting a Redis Cluster (3 masters, 3 replicas) in $DIR ..."
setting="$(scripts/redis-cluster.sh start "$DIR" | tail -n 1)"
export "${setting?}" SYSTEM1_STREAM_SHARDS="${SYSTEM1_STREAM_SHARDS:-4}" SYSTEM1_REDIS_DB=0
# Not exec: the trap must run once the programs have stopped.
./build.sh run analytics.demo.BehindNginxMain --cluster
