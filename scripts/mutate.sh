#!/usr/bin/env bash
# Break it and predict which test fails (issue 16, lessons/answers/README.md): applies one
# exercise's mutation to a COPY of the project, runs the tests the answer names there, and
# says whether the answer's prediction held.
#
#   scripts/mutate.sh 08-1        # lesson 08, exercise 1 (make mutation LESSON=08 N=1)
#   scripts/mutate.sh --list      # every stored mutation and what it breaks
#
# A mutation is lessons/answers/mutations/NN-N.patch: a `git diff` of the scratch change,
# under a header that git apply skips -
#   Mutation: what the change does
#   Tests: the test classes to run (analytics.pkg.FooTest ...)
#   Fails: the test methods the answer predicts to fail
# The real tree is never touched: the project is copied to build/mutations/NN-N/ (without
# build/, results/, run/; lib/ is a symlink), the patch is applied and the tests run there.
# Exit status: 0 when every predicted test failed, 1 when one did not, 2 for bad usage or a
# patch that no longer applies. Bounded: the tests are stopped after MUTATION_MINUTES (10).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
MUTATIONS="lessons/answers/mutations"
MUTATION_MINUTES="${MUTATION_MINUTES:-10}"

usage() {
    echo "usage: scripts/mutate.sh NN-N   (e.g. 08-1; make mutation LESSON=08 N=1) | --list" >&2
    exit 2
}

# The value of one header line ("Tests: a b" -> "a b") of a patch file.
header() {
    sed -n "s/^$2: //p" "$1" | head -1
}

[ $# -eq 1 ] || usage
if [ "$1" = --list ]; then
    for patch in "$MUTATIONS"/*.patch; do
        printf '%-6s %s\n' "$(basename "$patch" .patch)" "$(header "$patch" Mutation)"
    done
    exit 0
fi
id="$1"
[[ "$id" =~ ^[0-9][0-9]-[0-9]+$ ]] || usage
patch="$ROOT/$MUTATIONS/$id.patch"
[ -f "$patch" ] || { echo "mutate.sh: no mutation $id (scripts/mutate.sh --list shows them)" >&2; exit 2; }
tests="$(header "$patch" Tests)"
predicted="$(header "$patch" Fails)"
[ -n "$tests" ] && [ -n "$predicted" ] || { echo "mutate.sh: $patch lacks a Tests: or Fails: line" >&2; exit 2; }

# --- 1. A copy of the project, never the project itself ------------------------------------
copy="$ROOT/build/mutations/$id"
rm -rf "$copy"
mkdir -p "$copy"
tar -C "$ROOT" --exclude=./build --exclude=./results --exclude=./run --exclude=./lib \
    --exclude=./.git --exclude=./node_modules -cf - . | tar -C "$copy" -xf -
[ -d "$ROOT/lib" ] && ln -s "$ROOT/lib" "$copy/lib"
# The copy sits inside the project's own git tree (build/ is ignored): stop git's search for
# a repository above the copy, or git apply would resolve the paths against the real tree.
real_before="$(git -C "$ROOT" status --porcelain 2>/dev/null || true)"
if ! (cd "$copy" && GIT_CEILING_DIRECTORIES="$ROOT/build/mutations" git apply "$patch"); then
    echo "mutate.sh: $id no longer applies to this tree; the answer needs a new patch" >&2
    exit 2
fi
if [ "$(git -C "$ROOT" status --porcelain 2>/dev/null || true)" != "$real_before" ]; then
    echo "mutate.sh: the real tree changed while applying $id; stopping (git -C $ROOT status)" >&2
    exit 2
fi
if (cd "$copy" && GIT_CEILING_DIRECTORIES="$ROOT/build/mutations" git apply --check "$patch" 2>/dev/null); then
    echo "mutate.sh: $id did not change the copy; stopping" >&2
    exit 2
fi
echo "mutate.sh: $id: $(header "$patch" Mutation)"
echo "mutate.sh: applied in $copy; running $tests"

# --- 2. The named tests, in the copy, with a deadline --------------------------------------
selectors=()
for class in $tests; do selectors+=(--select-class "$class"); done
status=0
(cd "$copy" && timeout --kill-after=30 "$((MUTATION_MINUTES * 60))" \
    ./build.sh test "${selectors[@]}") > "$copy/mutation-test.log" 2>&1 || status=$?
if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "mutate.sh: the tests did not finish within $MUTATION_MINUTES min (log: $copy/mutation-test.log)" >&2
    exit 1
fi
if grep -q "error: \|compilation failed" "$copy/mutation-test.log" \
        && ! ls "$copy"/build/test-reports/TEST-*.xml > /dev/null 2>&1; then
    echo "mutate.sh: the mutated copy did not compile (log: $copy/mutation-test.log)" >&2
    tail -20 "$copy/mutation-test.log" >&2
    exit 1
fi

# --- 3. Which tests failed, against the prediction ------------------------------------------
failed="$(python3 - "$copy"/build/test-reports/TEST-*.xml <<'EOF'
import sys, xml.etree.ElementTree as ET
names = set()
for report in sys.argv[1:]:
    for case in ET.parse(report).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            names.add(case.get("classname").rsplit(".", 1)[-1] + "." + case.get("name").split("(")[0])
print("\n".join(sorted(names)))
EOF
)"
echo "mutate.sh: failed:"
if [ -n "$failed" ]; then sed 's/^/    /' <<< "$failed"; else echo "    (none)"; fi
echo "mutate.sh: the answer predicted: $predicted"
held=0
for method in $predicted; do
    if ! grep -q "\.$method$" <<< "$failed"; then
        echo "mutate.sh: predicted $method to fail, but it did not" >&2
        held=1
    fi
done
if [ "$held" -eq 0 ]; then
    echo "mutate.sh: the prediction held (the real tree is untouched; the copy is $copy)"
fi
exit "$held"
