#!/usr/bin/env bash
# Runs every command block the course marks as runnable - a fence opened with ```bash run in
# README.md, ARCHITECTURE.md and lessons/ - so a command the lessons tell a student to type is
# known to work on a fresh checkout, not just remembered to. CI runs it after `make test`
# (make docs-check, from .ci/run); DocsTest checks that every such block parses.
#
#   scripts/run-doc-blocks.sh                      every marked block, file by file, in order
#   scripts/run-doc-blocks.sh lessons/05-*.md      the blocks of these files only
#   scripts/run-doc-blocks.sh --list               where the blocks are, without running them
#
# Each block runs from the project root as its own `bash -e` script, in its own session, with
# no stdin, under a time limit (DOC_BLOCK_SECONDS, 240); all of them together get
# DOC_BLOCKS_TOTAL_SECONDS (600). A block may leave files behind for the next block of its
# file (/tmp/h2probe.py), but no processes: whatever of its session still runs when it ends is
# stopped, and the block fails. On failure: file:line of the command that failed (or was
# running when the time ran out), its exit status, and that command's output.
#
# What to mark: a block that needs no browser, no second terminal and no server started by
# hand, and ends on its own within a minute or two. Leave unmarked a block that starts a
# long-lived program (make run, make run-system2), waits for Ctrl-C, or takes minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

BLOCK_SECONDS="${DOC_BLOCK_SECONDS:-240}"
TOTAL_SECONDS="${DOC_BLOCKS_TOTAL_SECONDS:-600}"
GRACE_SECONDS=5 # for a block's last children to exit after the block itself has

list_only=false
docs=()
for arg in "$@"; do
    case "$arg" in
        --list) list_only=true ;;
        -h | --help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "run-doc-blocks: unknown option $arg (see --help)" >&2; exit 64 ;;
        *) docs+=("$arg") ;;
    esac
done
if [ "${#docs[@]}" -eq 0 ]; then
    docs=(README.md ARCHITECTURE.md)
    while IFS= read -r lesson; do docs+=("$lesson"); done < <(find lessons -name '*.md' | sort)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/doc-blocks.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# --- extract: one script per block, and an index "script<TAB>file<TAB>first line" ----------
# The fence may be indented (a block inside a numbered exercise): that indentation is taken
# off every line of the block, as Markdown does.
awk -v dir="$work" '
    FNR == 1 { inside = 0 }
    !inside && match($0, /^ *```bash run[ \t]*$/) {
        inside = 1; indent = index($0, "`") - 1; n++
        script = sprintf("%s/block-%03d.sh", dir, n)
        printf "%s\t%s\t%d\n", script, FILENAME, FNR + 1 > (dir "/index")
        printf "" > script
        next
    }
    inside && /^ *```[ \t]*$/ { inside = 0; close(script); next }
    inside {
        line = $0
        for (i = 0; i < indent && substr(line, 1, 1) == " "; i++) line = substr(line, 2)
        print line > script
    }
' "${docs[@]}"
touch "$work/index"

if $list_only; then
    cut -f2,3 "$work/index" | tr '\t' ':'
    exit 0
fi

# --- run ---------------------------------------------------------------------------------
# The first line of every script records, before each command, its line, where the output
# stood and the command - so a failure (or the time limit) can point at one command and
# show only what it printed. /proc/self/fdinfo/1 is read without starting a process.
header='trap '\''read -r _ at < /proc/self/fdinfo/1 || at=0; printf "%s %s\n%s\n" "$LINENO" "$at" "$BASH_COMMAND" > "$DOC_BLOCK_STATE"'\'' DEBUG'

started=$SECONDS
count=0
while IFS=$'\t' read -r script doc first; do
    count=$((count + 1))
    where="$doc:$first"
    left=$((TOTAL_SECONDS - (SECONDS - started)))
    if [ "$left" -le 0 ]; then
        echo "run-doc-blocks: FAILED - the blocks took over ${TOTAL_SECONDS} s in all;" \
            "$where and later were not run" >&2
        exit 1
    fi
    limit=$((left < BLOCK_SECONDS ? left : BLOCK_SECONDS))
    { echo "$header"; cat "$script"; } > "$work/run.sh"
    state="$work/state"
    : > "$state"
    block_started=$SECONDS
    echo "== $where"

    # Its own session, so whatever it starts can be found and stopped afterwards; `timeout`
    # signals the whole process group when the time runs out.
    DOC_BLOCK_STATE="$state" setsid timeout -k 5 "$limit" bash -e "$work/run.sh" \
        < /dev/null > "$work/log" 2>&1 &
    session=$!
    status=0
    wait "$session" || status=$?

    leftovers=""
    for _ in $(seq $((GRACE_SECONDS * 10))); do
        leftovers="$(pgrep -s "$session" || true)"
        [ -z "$leftovers" ] && break
        sleep 0.1
    done
    if [ -n "$leftovers" ]; then
        echo "   left running:" >&2
        ps -o pid=,args= -p "$(echo $leftovers | tr ' ' ',')" | cut -c1-160 | sed 's/^/     /' >&2 || true
        # shellcheck disable=SC2086 # one pid per word
        kill -TERM $leftovers 2>/dev/null || true
        if [ "$status" -eq 0 ]; then status=125; fi
    fi

    if [ "$status" -eq 0 ]; then
        echo "   ok in $((SECONDS - block_started)) s"
        continue
    fi
    line=1 from=0 command="(none ran)"
    if [ -s "$state" ]; then
        read -r line from < "$state"
        command="$(sed -n '2,$p' "$state")"
        line=$((line - 1)) # the header line
    fi
    case "$status" in
        124 | 137) why="still running after ${limit} s (the time limit)" ;;
        125) why="ended, but left processes running" ;;
        *) why="exited with status $status" ;;
    esac
    {
        echo "run-doc-blocks: FAILED $doc:$((first + line - 1)) $why"
        echo "  \$ $command"
        echo "  --- its output (last 60 lines) ---"
        tail -c +"$((from + 1))" "$work/log" | tail -n 60 | sed 's/^/  /'
    } >&2
    exit 1
done < "$work/index"

echo "run-doc-blocks: $count blocks ran in $((SECONDS - started)) s"
