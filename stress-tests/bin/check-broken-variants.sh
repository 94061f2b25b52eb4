#!/usr/bin/env bash
# Proves the stress suite can fail: runs jcstress on the deliberately broken variants in
# ai.bytesandbrains.rtt.broken (clauses 1, 2 and 4 of the concurrency contract, the generation
# check that makes eviction safe, the pause log clamp that must hold its slot, the name table's length
# published after its bytes, the outstanding-request marker's "since before count" order, and the priors'
# stripe ownership: one plain writer per stripe) and succeeds
# only if jcstress reports EVERY one of them FAILED.
# Run from the repository root after `mvn install`.
#
#   stress-tests/bin/check-broken-variants.sh
#
# Environment:
#   JCSTRESS_MODE (or MODE)  jcstress -m mode (default quick; sanity misses the two-word tear)
#   JCSTRESS_ARGS            extra jcstress arguments, split on whitespace, e.g. "-sc false -f 1"
set -euo pipefail

MODE="${JCSTRESS_MODE:-${MODE:-quick}}"
read -r -a EXTRA <<< "${JCSTRESS_ARGS:-}"
JAR="$(pwd)/stress-tests/target/jcstress.jar"
PATTERN='^ai\.bytesandbrains\.rtt\.broken\..*'
WORK="$(pwd)/stress-tests/target/broken-variants"
# The same fork flags as the main suite (bin/run-suite.sh), so a variant fails for its bug alone.
JVM_ARGS='--add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Dagrona.strict.alignment.checks=true'

if [[ ! -f "$JAR" ]]; then
    echo "check-broken-variants: $JAR not found; run 'mvn install' (or package) first" >&2
    exit 2
fi
mkdir -p "$WORK"
cd "$WORK"

mapfile -t tests < <(java -jar "$JAR" -l -t "$PATTERN" 2>/dev/null | grep -E '^ai\.bytesandbrains\.rtt\.broken\.' | sort -u)
if [[ ${#tests[@]} -lt 10 ]]; then
    echo "check-broken-variants: expected at least 10 broken tests, found ${#tests[@]}" >&2
    exit 2
fi

set +e
echo "check-broken-variants: ${#tests[@]} broken tests, mode $MODE${EXTRA[*]:+, extra args: ${EXTRA[*]}}"
java -jar "$JAR" -m "$MODE" -t "$PATTERN" -jvmArgsPrepend "$JVM_ARGS" -r "$WORK/report" "${EXTRA[@]}" > "$WORK/output.txt" 2>&1
rc=$?
set -e

status=0
for test in "${tests[@]}"; do
    if grep -qE "\[FAILED\] ${test//./\\.}\$" "$WORK/output.txt"; then
        echo "caught   $test (FAILED as it must)"
    else
        echo "MISSED   $test: jcstress did not report it FAILED; the suite cannot catch this bug" >&2
        status=1
    fi
done
if [[ $rc -ne 1 ]]; then
    echo "check-broken-variants: jcstress exited $rc, expected 1 (failures); see $WORK/output.txt" >&2
    status=1
fi
exit $status
