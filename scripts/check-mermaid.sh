#!/usr/bin/env bash
# Renders every ```mermaid block of the course - README.md, ARCHITECTURE.md, lessons/, docs/,
# dashboard/ - with mermaid-cli (npm, into lib/node) driving the system's Chromium, so a
# diagram that GitHub would show as a red error box fails the build instead, named by file
# and line.
#
# Usage: scripts/check-mermaid.sh            (make test runs it; so does CI through make test)
#
# How: each block is copied to build/mermaid/blocks/ with the file and line it came from;
# scripts/render-mermaid.mjs renders them all in one Chromium with mermaid-cli's renderMermaid
# (starting the browser is most of the time) and names every block that does not render.
# The SVGs stay beside the blocks, to look at.
# Bounded: MERMAID_TIMEOUT seconds in all (default 240), whatever Chromium does.
#
# Without mermaid-cli or Chromium (and after scripts/ensure-tools.sh could not install them)
# the check is skipped with one line saying what is missing - except in CI (CI=true), where
# a check that cannot run fails.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=build/mermaid
MMDC=lib/node/node_modules/.bin/mmdc   # present when mermaid-cli is installed
TIME_LIMIT=${MERMAID_TIMEOUT:-240}
START=$SECONDS

say() { echo "check-mermaid: $*" >&2; }

unable() {  # unable REASON: the check cannot run here
    if [ "${CI:-}" = true ]; then
        say "FAILED: $1 - in CI every diagram must be rendered"
        exit 1
    fi
    say "skipped: $1"
    exit 0
}

# --- The blocks ---------------------------------------------------------------------------

files=()
for f in README.md ARCHITECTURE.md; do [ -f "$f" ] && files+=("$f"); done
while IFS= read -r f; do files+=("$f"); done < <(find lessons docs dashboard -name '*.md' -type f 2>/dev/null | sort)

rm -rf "$WORK"
mkdir -p "$WORK/blocks"
# One file per block (NNN.mmd) and an index line per block: "NNN<TAB>file:line".
awk -v out="$WORK/blocks" -v list="$WORK/index.tsv" '
    FNR == 1 { inside = 0 }
    !inside && /^[ \t]*```mermaid[ \t]*$/ {
        inside = 1; n++; indent = index($0, "`") - 1
        name = sprintf("%s/%03d.mmd", out, n)
        printf "%03d\t%s:%d\n", n, FILENAME, FNR > list
        printf "" > name
        next
    }
    inside && /^[ \t]*```[ \t]*$/ { inside = 0; close(name); next }
    inside { print substr($0, indent + 1) >> name }
    END { if (inside) { print FILENAME ": a ```mermaid block is never closed" > "/dev/stderr"; exit 3 } }
' "${files[@]}"

[ -f "$WORK/index.tsv" ] || { say "no mermaid blocks found"; exit 0; }
count=$(wc -l < "$WORK/index.tsv")

# --- The tools ----------------------------------------------------------------------------

scripts/ensure-tools.sh mermaid-cli chromium >/dev/null || true   # says what it installs, on stderr
chromium=""
for candidate in chromium chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then chromium=$(command -v "$candidate"); break; fi
done
[ -x "$MMDC" ] || unable "mermaid-cli is not in lib/node (scripts/ensure-tools.sh mermaid-cli installs it with npm); $count diagrams not checked"
[ -n "$chromium" ] || unable "Chromium is not installed (sudo apt-get install chromium); $count diagrams not checked"

# Puppeteer's own browser download is skipped at install; this points it at the system's.
# Chromium refuses to run as root inside its sandbox.
args='"--disable-gpu", "--disable-dev-shm-usage"'
[ "$(id -u)" = 0 ] && args="\"--no-sandbox\", $args"
cat > "$WORK/puppeteer.json" <<EOF
{ "executablePath": "$chromium", "args": [$args], "timeout": 60000 }
EOF

# --- Rendering: one browser, every block ---------------------------------------------------

status=0
timeout --kill-after=5 "$TIME_LIMIT" node scripts/render-mermaid.mjs "$WORK" || status=$?
case $status in
    0)   say "$count diagrams in ${#files[@]} files rendered in $((SECONDS - START)) s"; exit 0 ;;
    1)   say "some of the $count diagrams do not render (above; $((SECONDS - START)) s)"; exit 1 ;;
    2)   unable "mermaid-cli could not start Chromium at $chromium (above)" ;;
    124) say "FAILED: not done within MERMAID_TIMEOUT=$TIME_LIMIT s"; exit 1 ;;
    *)   say "FAILED: the renderer ended with status $status"; exit 1 ;;
esac
