#!/usr/bin/env bash
# build.sh - the whole build, with nothing but a JDK's javac and java.
#
#   ./build.sh              fetch the pinned jars (once) and compile src/
#   ./build.sh test [SELECTORS]  compile src/ and test/, run JUnit (all tests, or e.g.
#                           --select-class NAME), print "N passed, N failed"
#   ./build.sh run CLASS [ARGS]   compile src/, then run CLASS's main on the project classpath
#   ./build.sh deps         only fetch and verify the jars (and Chart.js) in scripts/dependencies.lock
#   ./build.sh deps bench   the same, plus the benchmark-only jars (needed-for bench)
#   ./build.sh classpath run|test|bench   print that classpath (bench: run's jars and the
#                           benchmark-only ones, fetched first; for scripts/bench/*.java)
#   ./build.sh java-home    print the JDK 21+ this script found
#   ./build.sh exercise ARGS   the build-your-own track's tool, scripts/course/Exercise.java
#                           (make exercise / make check-exercise; lessons/BUILD-YOUR-OWN.md)
#
# Why no Maven or Gradle: the project is small and a student should be able to read
# every step of its build. The steps are: find a JDK, fetch jars, javac, java.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"
LOCK="scripts/dependencies.lock"
LIB="$ROOT/lib"
BUILD="$ROOT/build"
MAIN_OUT="$BUILD/classes/main"
TEST_OUT="$BUILD/classes/test"
MAVEN_CENTRAL="${MAVEN_CENTRAL:-https://repo.maven.apache.org/maven2}"
NPM_REGISTRY="${NPM_REGISTRY:-https://registry.npmjs.org}"
REQUIRED_JAVA=21

die() { echo "build.sh: $*" >&2; exit 1; }

# --- 1. Find a JDK 21 or newer -----------------------------------------------------------
# Order: $JAVA_HOME, the java on PATH, the JDKs under /usr/lib/jvm, macOS's java_home.
java_major() {  # prints the feature version of the JDK at $1, or nothing
    [ -x "$1/bin/javac" ] && [ -x "$1/bin/java" ] || return 0
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | awk -F'= ' '/java.specification.version/ {print $2; exit}'
}
is_usable_jdk() { local v; v="$(java_major "$1")"; [ -n "$v" ] && [ "${v%%.*}" -ge "$REQUIRED_JAVA" ]; }

find_jdk() {
    local candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    if command -v javac >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
    fi
    # Newest first: sort -V puts temurin-25 after java-17, so reverse it.
    local d
    for d in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do candidates+=("${d%/}"); done
    if [ -x /usr/libexec/java_home ]; then
        d="$(/usr/libexec/java_home -v "$REQUIRED_JAVA+" 2>/dev/null || true)"
        [ -n "$d" ] && candidates+=("$d")
    fi
    for d in "${candidates[@]}"; do
        if is_usable_jdk "$d"; then echo "$d"; return 0; fi
    done
    return 1
}

JDK="$(find_jdk)" || die "no JDK $REQUIRED_JAVA or newer found (looked at \$JAVA_HOME, PATH, /usr/lib/jvm); \
install one, e.g. 'apt-get install openjdk-21-jdk-headless' or 'brew install openjdk@21', or set JAVA_HOME"
JAVA="$JDK/bin/java"
JAVAC="$JDK/bin/javac"

# --- 2. Fetch the pinned jars ----------------------------------------------------------
# Each jar line of the lock file: group:artifact:version sha256 (run|test|bench).
# A bench jar is a reference the benchmarks measure the project against (scripts/bench/):
# it is fetched only when asked for (lock_entries bench) and is on no classpath of src/ or
# test/, so no class of the project can come to depend on it.
lock_entries() {  # lock_entries [bench]: the jar lines; bench ones only when asked for
    grep -v -E '^\s*(#|$)|^npm:' "$LOCK" | awk -v with="${1:-}" '$3 != "bench" || with == "bench"'
}
jar_name() { local g a v; IFS=: read -r g a v <<<"$1"; echo "$a-$v.jar"; }
jar_url() { local g a v; IFS=: read -r g a v <<<"$1"; echo "$MAVEN_CENTRAL/${g//.//}/$a/$v/$a-$v.jar"; }
sha256_of() { if command -v sha256sum >/dev/null; then sha256sum "$1"; else shasum -a 256 "$1"; fi | cut -d' ' -f1; }

missing_jars() {  # missing_jars [bench]
    local coord sum scope
    while read -r coord sum scope; do
        local f="$LIB/$(jar_name "$coord")"
        if [ ! -f "$f" ] || [ "$(sha256_of "$f")" != "$sum" ]; then echo "$coord"; fi
    done < <(lock_entries "${1:-}")
}

fetch_with_maven() {  # one Maven run for all missing jars, through a throw-away pom
    local pom="$BUILD/fetch/pom.xml" coord g a v
    mkdir -p "$BUILD/fetch"
    {
        echo '<project><modelVersion>4.0.0</modelVersion>'
        echo '<groupId>local</groupId><artifactId>fetch</artifactId><version>0</version><dependencies>'
        for coord in "$@"; do
            IFS=: read -r g a v <<<"$coord"
            echo "<dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>"
        done
        echo '</dependencies></project>'
    } >"$pom"
    mvn -q -f "$pom" dependency:copy-dependencies -DexcludeTransitive=true \
        -DoutputDirectory="$LIB" >"$BUILD/fetch/maven.log" 2>&1
}

fetch_with_curl() {
    local coord
    for coord in "$@"; do
        curl -fsSL --retry 2 -o "$LIB/$(jar_name "$coord")" "$(jar_url "$coord")" || return 1
    done
}

ensure_deps() {  # ensure_deps [bench]
    [ -f "$LOCK" ] || die "$LOCK is missing"
    local with="${1:-}" missing
    missing="$(missing_jars "$with")"
    [ -z "$missing" ] && return 0
    mkdir -p "$LIB" "$BUILD"
    # shellcheck disable=SC2086
    set -- $missing
    echo "build.sh: fetching $# jar(s) into $LIB/ ..." >&2
    if command -v mvn >/dev/null 2>&1 && fetch_with_maven "$@"; then :
    elif command -v curl >/dev/null 2>&1 && fetch_with_curl "$@"; then :
    else
        die "could not fetch $* (no network, or neither mvn nor curl); the jars listed in $LOCK must be in $LIB/"
    fi
    local coord sum scope
    while read -r coord sum scope; do
        local f="$LIB/$(jar_name "$coord")"
        [ -f "$f" ] || die "$coord was not fetched"
        [ "$(sha256_of "$f")" = "$sum" ] || { rm -f "$f"; die "$coord: SHA-256 differs from $LOCK; file removed"; }
    done < <(lock_entries "$with")
}

# --- 2b. Fetch the pinned browser files ------------------------------------------------
# Each npm line of the lock file: npm:package:version:path-in-package sha256 dashboard.
# The file is taken out of the package's tarball and kept in lib/ under its own name
# (lib/chart.umd.js), where the dashboard server looks for it. Its SHA-256 is checked
# before it reaches lib/, so lib/ only ever holds a verified copy.
ensure_npm_files() {
    local entry sum scope name version path
    while read -r entry sum scope; do
        IFS=: read -r _ name version path <<<"$entry"
        local target="$LIB/$(basename "$path")" tmp="$BUILD/fetch/npm-$name"
        [ -f "$target" ] && [ "$(sha256_of "$target")" = "$sum" ] && continue
        echo "build.sh: fetching $path of $name $version into $LIB/ ..." >&2
        rm -rf "$tmp"; mkdir -p "$tmp" "$LIB"
        curl -fsSL --retry 2 -o "$tmp/package.tgz" "$NPM_REGISTRY/$name/-/$name-$version.tgz" \
            && tar -xzf "$tmp/package.tgz" -C "$tmp" "package/$path" \
            || die "could not fetch $name $version from $NPM_REGISTRY (no network, or no curl)"
        [ "$(sha256_of "$tmp/package/$path")" = "$sum" ] \
            || die "$name $version $path: SHA-256 differs from $LOCK; not installed"
        mv "$tmp/package/$path" "$target"
    done < <(grep -E '^npm:' "$LOCK" || true)
}

classpath_of() {  # classpath_of run|test|bench: the jars of that scope, ':'-separated
    local coord sum scope out=""
    while read -r coord sum scope; do
        # test: every jar but bench's; run: run's; bench: run's and bench's
        if [ "$1" = test ] || [ "$scope" = run ] || [ "$scope" = "$1" ]; then
            out="$out:$LIB/$(jar_name "$coord")"
        fi
    done < <(lock_entries "$1")
    echo "${out#:}"
}

# --- 3. Compile ------------------------------------------------------------------------
# Incremental at the level that matters: nothing is compiled when no source changed.
# When one did, its whole tree is recompiled from scratch (a few seconds), so a deleted
# or renamed class never lingers in build/.
JAVAC_FLAGS=(--release "$REQUIRED_JAVA" -encoding UTF-8 -Xlint:all -Werror -g)

needs_compile() {  # needs_compile STAMP DIR...: true when a file in DIR is newer than STAMP
    local stamp="$1"; shift
    [ -f "$stamp" ] || return 0
    [ -n "$(find "$@" "$LOCK" -newer "$stamp" -print -quit 2>/dev/null)" ]
}

compile_tree() {  # compile_tree SRC_DIR OUT_DIR CLASSPATH
    local src="$1" out="$2" cp="$3"
    rm -rf "$out"; mkdir -p "$out"
    find "$src" -name '*.java' >"$out.sources"
    if [ -s "$out.sources" ]; then
        "$JAVAC" "${JAVAC_FLAGS[@]}" -cp "$cp" -d "$out" "@$out.sources"
    fi
    # Non-Java files (e.g. META-INF/services) travel with the classes.
    (cd "$src" && find . -type f ! -name '*.java' -exec cp --parents {} "$out/" \;)
}

# Two builds at once (two terminals, a test run beside `make run`) must not delete each
# other's classes: compiling holds a lock on build/.lock where flock(1) exists.
with_build_lock() {
    mkdir -p "$BUILD"
    if command -v flock >/dev/null 2>&1; then
        ( flock 9; "$@" ) 9>"$BUILD/.lock"
    else
        "$@"
    fi
}

compile_main() {
    ensure_deps
    ensure_npm_files
    with_build_lock compile_main_locked
}

compile_main_locked() {
    if needs_compile "$MAIN_OUT.stamp" src; then
        echo "build.sh: compiling src/ with $("$JAVAC" -version 2>&1)" >&2
        compile_tree src "$MAIN_OUT" "$(classpath_of run)"
        touch "$MAIN_OUT.stamp"
    fi
}

compile_tests() {
    compile_main
    with_build_lock compile_tests_locked
}

compile_tests_locked() {
    if needs_compile "$TEST_OUT.stamp" test "$MAIN_OUT.stamp"; then
        echo "build.sh: compiling test/" >&2
        compile_tree test "$TEST_OUT" "$MAIN_OUT:$(classpath_of test)"
        touch "$TEST_OUT.stamp"
    fi
}

# --- 4. Test ---------------------------------------------------------------------------
# The JUnit console launcher prints the tree; we add one plain closing line that any CI
# can read: "N passed, N failed" (", N skipped" when tests were skipped or aborted).
run_tests() {
    compile_tests
    mkdir -p "$BUILD/test-reports"
    local out="$BUILD/test-reports/console.txt" status=0
    local colors=() selectors=(--scan-class-path "$TEST_OUT")
    [ -t 1 ] || colors=(--disable-ansi-colors)
    # Arguments select what to run (e.g. --select-class analytics.model.UntrustedJsonTest);
    # the launcher refuses a class-path scan together with explicit selectors.
    [ $# -gt 0 ] && selectors=("$@")
    set +e
    # The launcher runs as a plain main class on the full classpath (not with -jar), so
    # java.class.path is the real one: tests that start a program in a child JVM reuse it,
    # and ServiceLoader finds our System.LoggerFinder as it does in production.
    "$JAVA" -Dproject.root="$ROOT" \
        -cp "$TEST_OUT:$MAIN_OUT:$(classpath_of test)" org.junit.platform.console.ConsoleLauncher execute \
        "${selectors[@]}" --include-engine=junit-jupiter --disable-banner --details=tree \
        "${colors[@]}" --fail-if-no-tests --reports-dir "$BUILD/test-reports" 2>&1 | tee "$out"
    status=${PIPESTATUS[0]}
    set -e
    # Above the closing line, one line per skipped or aborted test with its reason (a missing
    # tool says what to install), so a skip is read, not scrolled past in the tree.
    awk '
        { gsub(/\033\[[0-9;]*m/, "") }
        /^   (├|└)─ /        { class = $2 }
        / (■|↷) /           { sub(/^(│| )*(├|└)─ /, ""); sub(/ (■|↷) /, ": "); print "skipped: " class "." $0 }
        /tests successful/ { passed = $2 }
        /tests failed/     { failed = $2 }
        /tests skipped/    { skipped += $2 }
        /tests aborted/    { skipped += $2 }
        END {
            if (passed == "") { print "0 passed, 1 failed (the test run did not finish)"; exit }
            line = passed " passed, " failed " failed"
            if (skipped > 0) line = line ", " skipped " skipped"
            print line
        }' "$out"
    return "$status"
}

# --- 5. Dispatch -----------------------------------------------------------------------
cmd="${1:-build}"; shift || true
case "$cmd" in
    build)     compile_main ;;
    deps)      [ "${1:-bench}" = bench ] || die "usage: ./build.sh deps [bench]"
               ensure_deps "${1:-}"; ensure_npm_files ;;
    classpath) case "${1:-}" in run | test | bench) ;; *) die "usage: ./build.sh classpath run|test|bench" ;; esac
               ensure_deps "$1"
               classpath_of "$1" ;;
    test)      run_tests "$@" ;;
    run)       [ $# -ge 1 ] || die "usage: ./build.sh run MAIN_CLASS [ARGS]"
               compile_main
               main="$1"; shift
               exec "$JAVA" ${JAVA_OPTS:-} -cp "$MAIN_OUT:$(classpath_of run)" "$main" "$@" ;;
    java-home) echo "$JDK" ;;
    exercise)  # check grades against build/classes/test, so the tests are compiled first
               if [ "${1:-}" = check ]; then compile_tests; else ensure_deps; fi
               exec "$JAVA" -Dproject.root="$ROOT" -cp "$(classpath_of test)" \
                   scripts/course/Exercise.java "$@" ;;
    *)         die "unknown command '$cmd' (build, deps, test, run, classpath, java-home, exercise)" ;;
esac
