#!/bin/sh
# A local Redis Cluster to try System 1 on by hand (lesson 21): 3 masters and 3 replicas on
# 127.0.0.1, ports BASE..BASE+5 (and BASE+10000.. for the cluster bus), no persistence,
# cluster-node-timeout 2000 ms so a failover takes seconds. Everything lives in DIR:
# each node's nodes-PORT.conf, redis-PORT.log and redis-PORT.pid. The test fixture
# (test/analytics/testing/RedisClusterProcess.java) does the same from Java.
#
#   scripts/redis-cluster.sh start DIR [BASE]   starts the nodes, creates the cluster, waits
#                                               for cluster_state:ok and the replicas' sync,
#                                               prints the setting
#   scripts/redis-cluster.sh node DIR PORT      starts one node again (after a kill -9): with
#                                               its nodes-PORT.conf it rejoins, as a replica
#   scripts/redis-cluster.sh stop DIR           stops the nodes whose PID files are in DIR
#
# Then: SYSTEM1_REDIS_CLUSTER=127.0.0.1:7000,... SYSTEM1_STREAM_SHARDS=3 make run-system1
# and watch: redis-cli -p 7000 --cluster info 127.0.0.1:7000
set -eu

usage() {
    echo "usage: $0 start DIR [BASE_PORT] | node DIR PORT | stop DIR" >&2
    exit 64
}

[ $# -ge 2 ] || usage
command=$1
dir=$2
base=${3:-7000}
ports=$(seq "$base" $((base + 5)))

node() {
    redis-server --port "$1" --bind 127.0.0.1 --cluster-enabled yes \
        --cluster-config-file "nodes-$1.conf" --cluster-node-timeout 2000 \
        --save "" --appendonly no --dir "$dir" --daemonize yes \
        --pidfile "$dir/redis-$1.pid" --logfile "$dir/redis-$1.log"
}

start() {
    command -v redis-server >/dev/null || { echo "redis-server is not installed" >&2; exit 69; }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    for port in $ports; do
        node "$port"
    done
    for port in $ports; do
        tries=0
        until redis-cli -p "$port" ping >/dev/null 2>&1; do
            tries=$((tries + 1))
            [ $tries -lt 100 ] || { echo "node $port did not start; see $dir/redis-$port.log" >&2; exit 1; }
            sleep 0.1
        done
    done
    nodes=""
    for port in $ports; do
        nodes="$nodes 127.0.0.1:$port"
    done
    # shellcheck disable=SC2086 # one argument per node
    redis-cli --cluster create $nodes --cluster-replicas 1 --cluster-yes >"$dir/cluster-create.log"
    tries=0
    for port in $ports; do
        until redis-cli -p "$port" cluster info | grep -q '^cluster_state:ok'; do
            tries=$((tries + 1))
            [ $tries -lt 300 ] || { echo "cluster not ok after 30 s; see $dir" >&2; exit 1; }
            sleep 0.1
        done
    done
    # A replica that never synced may not take over (its data is "too old"): wait for each.
    for port in $ports; do
        until ! redis-cli -p "$port" info replication | grep -q '^role:slave' \
                || redis-cli -p "$port" info replication | grep -q '^master_link_status:up'; do
            tries=$((tries + 1))
            [ $tries -lt 300 ] || { echo "replica $port not in sync after 30 s; see $dir" >&2; exit 1; }
            sleep 0.1
        done
    done
    echo "SYSTEM1_REDIS_CLUSTER=$(echo $nodes | tr ' ' ',')"
}

stop() {
    for pidfile in "$dir"/redis-*.pid; do
        [ -e "$pidfile" ] || continue
        kill "$(cat "$pidfile")" 2>/dev/null || true
    done
    for pidfile in "$dir"/redis-*.pid; do
        [ -e "$pidfile" ] || continue
        tries=0
        while [ -e "$pidfile" ] && [ $tries -lt 50 ]; do   # redis removes it on exit
            tries=$((tries + 1))
            sleep 0.1
        done
    done
}

case $command in
    start) start ;;
    node) [ $# -eq 3 ] || usage; dir=$(cd "$dir" && pwd); node "$3" ;;
    stop) stop ;;
    *) usage ;;
esac
