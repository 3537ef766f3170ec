#!/usr/bin/env bash
# Renders every ```mermaid block of the course - README.md, ARCHITECTURE.md, lessons/, docs/,
# dashboard/ - with mermaid-cli (npm, into lib/node) driving the system's Chromium, so a
# diagram that GitHub would show as a red error box fails the build instead, named by file
# and line.
#
# Usage: scripts/check-mermaid.sh            (make test runs it; so does CI through make test)
#
# How: the blocks are copied, each tagged with where it came from, into one Markdown file
# under build/mermaid/, which mmdc renders in one browser (starting Chromium is most of the
# time). Only when that fails is each block rendered alone, to name every broken one.
# Bounded: MERMAID_TIMEOUT seconds in all (default 240), whatever Chromium does.
#
# Without mermaid-cli or Chromium (and after scripts/ensure-tools.sh could not install them)
# the check is skipped with one line saying what is missing - except in CI (CI=true), where
# a check that cannot run fails.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=build/mermaid
MMDC=lib/node/node_modules/.bin/mmdc
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

remaining() { echo $((TIME_LIMIT - (SECONDS - START))); }

# --- The blocks ---------------------------------------------------------------------------

files=()
for f in README.md ARCHITECTURE.md; do [ -f "$f" ] && files+=("$f"); done
while IFS= read -r f; do files+=("$f"); done < <(find lessons docs dashboard -name '*.md' -type f 2>/dev/null | sort)

rm -rf "$WORK"
mkdir -p "$WORK/blocks"
# One file per block (NNN.mmd) and an index line per block: "NNN<TAB>file:line".
awk -v out="$WORK/blocks" '
    FNR == 1 { inside = 0 }
    !inside && /^[ \t]*```mermaid[ \t]*$/ {
        inside = 1; n++; indent = index($0, "`") - 1
        name = sprintf("%s/%03d.mmd", out, n)
        printf "%03d\t%s:%d\n", n, FILENAME, FNR > (out "/index.tsv")
        printf "" > name
        next
    }
    inside && /^[ \t]*```[ \t]*$/ { inside = 0; close(name); next }
    inside { print substr($0, indent + 1) >> name }
    END { if (inside) { print FILENAME ": a ```mermaid block is never closed" > "/dev/stderr"; exit 3 } }
' "${files[@]}"

[ -f "$WORK/blocks/index.tsv" ] || { say "no \`\`\`mermaid blocks found"; exit 0; }
count=$(wc -l < "$WORK/blocks/index.tsv")

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

render() {  # render INPUT OUTPUT LOG: mmdc within the time left; its status
    local left
    left=$(remaining)
    if [ "$left" -le 0 ]; then
        echo "out of time (MERMAID_TIMEOUT=$TIME_LIMIT s)" > "$3"
        return 124
    fi
    timeout --kill-after=5 "$left" "$MMDC" --quiet -p "$WORK/puppeteer.json" \
        -i "$1" -o "$2" > "$3" 2>&1
}

# --- All at once: the usual case ---------------------------------------------------------

all="$WORK/all.md"
: > "$all"
while IFS=$'\t' read -r n where; do
    { echo "<!-- $where -->"; echo '```mermaid'; cat "$WORK/blocks/$n.mmd"; echo '```'; echo; } >> "$all"
done < "$WORK/blocks/index.tsv"

if render "$all" "$WORK/all.out.md" "$WORK/all.log"; then
    say "$count diagrams in ${#files[@]} files rendered in $((SECONDS - START)) s"
    exit 0
fi
if grep -qiE 'Failed to launch|Could not find (Chrome|browser)|ECONNREFUSED|out of time' "$WORK/all.log"; then
    sed 's/^/    /' "$WORK/all.log" | head -20 >&2
    unable "mmdc could not drive Chromium at $chromium (above)"
fi

# --- One by one: name every broken block ---------------------------------------------------

failed=0
while IFS=$'\t' read -r n where; do
    if ! render "$WORK/blocks/$n.mmd" "$WORK/blocks/$n.svg" "$WORK/blocks/$n.log"; then
        failed=$((failed + 1))
        # mmdc counts lines from the block's first; the file's line is the fence's plus that.
        line=$(grep -oE 'on line [0-9]+' "$WORK/blocks/$n.log" | head -1 | grep -oE '[0-9]+' || true)
        if [ -n "$line" ]; then
            say "${where%:*}:$((${where##*:} + line)): the mermaid block at line ${where##*:} does not render:"
        else
            say "$where: this mermaid block does not render:"
        fi
        grep -v '^\s*at ' "$WORK/blocks/$n.log" | head -12 | sed 's/^/    /' >&2
    fi
done < "$WORK/blocks/index.tsv"

if [ "$failed" -eq 0 ]; then
    # Each renders alone but not all together: show what mmdc said about the whole.
    say "every block renders alone, but not all in one file:"
    head -20 "$WORK/all.log" | sed 's/^/    /' >&2
    exit 1
fi
say "$failed of $count diagrams do not render ($((SECONDS - START)) s)"
exit 1
