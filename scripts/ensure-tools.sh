#!/usr/bin/env bash
# Makes sure the programs a command needs are installed. As root on Debian/Ubuntu it installs
# what is missing with apt-get, and Node's ws and mermaid-cli with npm into lib/node; otherwise, or when an
# install fails, it prints one line per missing tool saying what to install. Presence is
# checked first, so a second run installs nothing and prints nothing.
#
# Usage: scripts/ensure-tools.sh TOOL|GROUP...
#   tools: redis chromium python-websockets node-ws mermaid-cli nghttp2 nginx curl wrk
#          docker-compose
#   test   the group `make test` uses: redis, chromium, python-websockets, node-ws, mermaid-cli,
#          nghttp2, nginx, curl, docker-compose
# A tool named on its own is required: exit 1 while it is missing. In the test group only
# redis is (most tests need it); without another tool the tests that use it are reported as
# skipped with the reason, and this script says so in one line and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."   # lib/node is relative to the project root

NODE_WS="ws@8.23.0"       # the version of the original project; lib/ is git-ignored
# The last release that runs on Debian 12's Node 20 (12.x wants Node 22); it drives the
# system's Chromium (scripts/check-mermaid.sh), so puppeteer's own browser is not downloaded.
MERMAID_CLI="@mermaid-js/mermaid-cli@11.12.0"
TEST_GROUP=(redis chromium python-websockets node-ws mermaid-cli nghttp2 nginx curl docker-compose)

on_path() { command -v "$1" >/dev/null 2>&1; }

# --- What each tool is ------------------------------------------------------------------

present() {  # present TOOL: is it installed? (the same checks the tests make)
    case "$1" in
        redis)             [ -n "${REDIS_URL:-}" ] || on_path redis-server || [ -x /usr/bin/redis-server ] ;;
        chromium)          on_path chromium || on_path chromium-browser || on_path google-chrome ;;
        # The Debian package installs into the system python3, which may not be first on PATH.
        python-websockets) python3 -c 'import websockets' >/dev/null 2>&1 \
                               || /usr/bin/python3 -c 'import websockets' >/dev/null 2>&1 ;;
        node-ws)           on_path node && [ -f lib/node/node_modules/ws/package.json ] ;;
        mermaid-cli)       on_path node && [ -x lib/node/node_modules/.bin/mmdc ] ;;
        nghttp2)           on_path h2load && on_path nghttp ;;
        # nginx: an independent h2c server the paced bench client is tested against (with
        # its echo module), and System 1's front end (with its stream module, lesson 21).
        nginx)             { on_path nginx || [ -x /usr/sbin/nginx ]; } \
                               && [ -f /usr/lib/nginx/modules/ngx_http_echo_module.so ] \
                               && [ -f /usr/lib/nginx/modules/ngx_stream_module.so ] ;;
        # docker-compose: only to validate docker-compose.yml (no engine is needed for that).
        docker-compose)    on_path docker-compose ;;
        curl)              on_path curl ;;
        wrk)               on_path wrk ;;
    esac
}

packages() {  # packages TOOL: the Debian/Ubuntu packages that provide it
    case "$1" in
        redis)             echo redis-server ;;
        chromium)          echo chromium ;;
        python-websockets) echo python3-websockets ;;
        node-ws | mermaid-cli) on_path node || echo nodejs; on_path npm || echo npm ;;
        nghttp2)           echo nghttp2-client ;;
        # nginx-light lacks the stream module; Debian ships it as libnginx-mod-stream.
        nginx)             echo nginx-light libnginx-mod-stream ;;
        docker-compose)    echo docker-compose ;;
        curl | wrk)        echo "$1" ;;
    esac
}

say_missing() {  # say_missing TOOL: the one line - what is missing, what to install, the effect
    local install="sudo apt-get install $(packages "$1" | xargs)"
    case "$1" in
        redis)             echo "redis-server is not installed: $install (macOS: brew install redis), or set REDIS_URL; the tests and make run need it" ;;
        chromium)          echo "Chromium is not installed: $install; the dashboard browser tests are skipped" ;;
        python-websockets) echo "Python's websockets is not installed: $install (or pip install websockets); its interop test is skipped" ;;
        node-ws)           if on_path node && on_path npm; then install="npm install --prefix lib/node $NODE_WS"
                           else install="$install, then npm install --prefix lib/node $NODE_WS"; fi
                           echo "Node's ws is not in lib/node: $install; its interop test is skipped" ;;
        mermaid-cli)       if on_path node && on_path npm; then install="PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix lib/node $MERMAID_CLI"
                           else install="$install, then PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix lib/node $MERMAID_CLI"; fi
                           echo "mermaid-cli is not in lib/node: $install; scripts/check-mermaid.sh cannot render the diagrams" ;;
        nghttp2)           echo "h2load and nghttp are not installed: $install; the HTTP/2 tests that run them are skipped" ;;
        nginx)             echo "nginx (with its echo and stream modules) is not installed: $install; the bench client's tests against it and System 1's tests behind it are skipped" ;;
        docker-compose)    echo "docker-compose is not installed: $install; docker-compose.yml is not validated and its test is skipped" ;;
        curl)              echo "curl is not installed: $install; build.sh needs it (or mvn) to fetch the jars the first time" ;;
        wrk)               echo "wrk is not installed: $install; scripts/bench-system1.sh needs it" ;;
    esac | sed 's/^/ensure-tools: /' >&2
}

# --- Installing -------------------------------------------------------------------------

apt_install() {  # apt_install PACKAGE...: best effort; what is still missing is said after
    echo "ensure-tools: installing $* with apt-get ..." >&2
    export DEBIAN_FRONTEND=noninteractive
    # Wait for a dpkg lock held by another install (a fresh VM's unattended upgrades).
    local apt=(apt-get -qq -o DPkg::Lock::Timeout=300)
    "${apt[@]}" install -y "$@" >/dev/null 2>&1 && return 0
    # Update the package lists only when an install without it fails (stale or empty lists),
    # and only once.
    "${apt[@]}" update >/dev/null 2>&1 || true
    "${apt[@]}" install -y "$@" >/dev/null 2>&1 && return 0
    # One package this release lacks (Ubuntu ships Chromium as a snap) must not block the rest.
    if [ $# -gt 1 ]; then
        local package
        for package in "$@"; do "${apt[@]}" install -y "$package" >/dev/null 2>&1 || true; done
    fi
}

npm_install() {  # npm_install NAME PACKAGE: needs no root, it writes into lib/node only
    echo "ensure-tools: installing $1 ($2) into lib/node with npm ..." >&2
    # npm's default retries wait minutes for a registry it cannot reach; a cached copy will do.
    # PUPPETEER_SKIP_DOWNLOAD: mermaid-cli's puppeteer would fetch a Chrome of its own.
    PUPPETEER_SKIP_DOWNLOAD=1 npm install --silent --no-audit --no-fund --prefer-offline \
        --fetch-retries=1 --fetch-retry-mintimeout=1000 --fetch-retry-maxtimeout=5000 \
        --prefix lib/node "$2" >/dev/null 2>&1 || true
}

# --- Main -------------------------------------------------------------------------------

tools=() required=()
for arg in "$@"; do
    case "$arg" in
        test) tools+=("${TEST_GROUP[@]}"); required+=(redis) ;;
        redis | chromium | python-websockets | node-ws | mermaid-cli | nghttp2 | nginx | curl | wrk | docker-compose)
              tools+=("$arg"); required+=("$arg") ;;
        *)    echo "ensure-tools: unknown tool '$arg' (tools: redis chromium python-websockets node-ws mermaid-cli nghttp2 nginx curl wrk docker-compose; group: test)" >&2
              exit 2 ;;
    esac
done

missing=()
for tool in "${tools[@]}"; do
    [[ " ${missing[*]} " == *" $tool "* ]] || present "$tool" || missing+=("$tool")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && on_path apt-get; then
    wanted=()
    for tool in "${missing[@]}"; do
        read -r -a provided <<<"$(packages "$tool" | xargs)"
        wanted+=("${provided[@]}")
    done
    [ ${#wanted[@]} -gt 0 ] && apt_install $(printf '%s\n' "${wanted[@]}" | sort -u)
fi
if [[ " ${missing[*]} " == *" node-ws "* ]] && on_path node && on_path npm; then
    npm_install "Node's ws" "$NODE_WS"
fi
if [[ " ${missing[*]} " == *" mermaid-cli "* ]] && on_path node && on_path npm; then
    npm_install mermaid-cli "$MERMAID_CLI"
fi

status=0
for tool in "${missing[@]}"; do
    present "$tool" && continue
    say_missing "$tool"
    [[ " ${required[*]} " == *" $tool "* ]] && status=1
done
exit "$status"
