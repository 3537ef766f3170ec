#!/usr/bin/env bash
# Makes sure the programs a command needs are installed: installs them with apt-get when
# running as root on Debian/Ubuntu, otherwise says in one line what to install.
# Usage: scripts/ensure-tools.sh redis [...]
set -euo pipefail

need_redis() {
    [ -n "${REDIS_URL:-}" ] && return 1   # tests use an existing server; nothing to install
    ! command -v redis-server >/dev/null 2>&1 && [ ! -x /usr/bin/redis-server ]
}

apt_install() {  # apt_install PACKAGE...: as root with apt-get, else fail with one line
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "ensure-tools: installing $* with apt-get ..." >&2
        export DEBIAN_FRONTEND=noninteractive
        # Update the package lists only when an install without it fails (stale or empty lists).
        apt-get install -y -qq "$@" >/dev/null 2>&1 \
            || { apt-get update -qq >/dev/null && apt-get install -y -qq "$@" >/dev/null; } \
            || { echo "ensure-tools: 'apt-get install $*' failed" >&2; exit 1; }
    else
        echo "ensure-tools: $* is not installed; install it (e.g. 'sudo apt-get install $*' or 'brew install redis') and run again" >&2
        exit 1
    fi
}

for tool in "$@"; do
    case "$tool" in
        redis) if need_redis; then apt_install redis-server; fi ;;
        *) echo "ensure-tools: unknown tool '$tool'" >&2; exit 2 ;;
    esac
done
