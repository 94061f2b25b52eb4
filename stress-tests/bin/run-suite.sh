#!/usr/bin/env bash
# Runs the main jcstress suite for CI (called by exec-maven-plugin in `verify`, working directory
# target/, where jcstress writes its jcstress-results-*.bin.gz). jcstress alone exits 0 when the regex
# matches no test ("FATAL: No matching tests."), so a renamed package or a jar built without its
# TestList would pass silently. This script therefore:
#   1. lists the tests the regex selects (-l -t) and fails unless there are at least JCSTRESS_MIN_TESTS;
#   2. runs them, failing on any FATAL line in the output;
#   3. propagates jcstress's own non-zero exit (1 on any FAILED or ERROR test).
#
# Configuration (Maven passes its properties through these; set them directly when running by hand):
#   JCSTRESS_JAR        path of the uber-jar                  (default: ./jcstress.jar)
#   JCSTRESS_MODE       jcstress -m mode                      (default: sanity)
#   JCSTRESS_TESTS      jcstress -t regex                     (default: every test outside .broken)
#   JCSTRESS_MIN_TESTS  fewest tests the regex must select    (default: 59)
#   JCSTRESS_JVM_ARGS   -jvmArgsPrepend value for every fork  (default: Agrona flag + strict alignment)
#   JCSTRESS_ARGS       extra jcstress arguments, split on whitespace, e.g. "-sc false -f 1"
#   JCSTRESS_REPORT     HTML report directory                 (default: ./jcstress-report)
set -euo pipefail

JAR="${JCSTRESS_JAR:-jcstress.jar}"
MODE="${JCSTRESS_MODE:-sanity}"
TESTS="${JCSTRESS_TESTS:-^ai\.bytesandbrains\.rtt\.(?!broken\.).*}"
MIN_TESTS="${JCSTRESS_MIN_TESTS:-59}"
JVM_ARGS="${JCSTRESS_JVM_ARGS:---add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Dagrona.strict.alignment.checks=true}"
REPORT="${JCSTRESS_REPORT:-jcstress-report}"
read -r -a EXTRA <<< "${JCSTRESS_ARGS:-}"

if [[ ! -f "$JAR" ]]; then
    echo "run-suite: $JAR not found; build the module first" >&2
    exit 2
fi
if ! [[ "$MIN_TESTS" =~ ^[0-9]+$ ]]; then
    echo "run-suite: JCSTRESS_MIN_TESTS must be a number, got '$MIN_TESTS'" >&2
    exit 2
fi

# jcstress prints a banner before the list; keep only lines that look like test class names.
listing="$(java -jar "$JAR" -l -t "$TESTS" 2>&1)" || {
    echo "$listing" >&2
    echo "run-suite: listing the tests failed" >&2
    exit 2
}
if grep -q 'FATAL' <<< "$listing"; then
    echo "$listing" >&2
    echo "run-suite: jcstress reported FATAL while listing tests matching '$TESTS'" >&2
    exit 2
fi
found="$(grep -cE '^[a-z][A-Za-z0-9_]*(\.[A-Za-z0-9_$]+)+$' <<< "$listing" || true)"
echo "run-suite: $found tests match '$TESTS' (at least $MIN_TESTS required), mode $MODE${EXTRA[*]:+, extra args: ${EXTRA[*]}}"
if (( found < MIN_TESTS )); then
    echo "$listing" >&2
    echo "run-suite: expected at least $MIN_TESTS tests, found $found" >&2
    exit 2
fi

output="$(mktemp "${TMPDIR:-/tmp}/jcstress-output.XXXXXX")"
trap 'rm -f "$output"' EXIT
set +e
java -jar "$JAR" -m "$MODE" -t "$TESTS" -jvmArgsPrepend "$JVM_ARGS" -r "$REPORT" "${EXTRA[@]}" 2>&1 | tee "$output"
rc=${PIPESTATUS[0]}
set -e

if grep -q 'FATAL' "$output"; then
    echo "run-suite: jcstress reported FATAL (exit $rc)" >&2
    exit $(( rc == 0 ? 3 : rc ))
fi
if (( rc != 0 )); then
    echo "run-suite: jcstress exited $rc (a FAILED or ERROR test, or a crash)" >&2
    exit "$rc"
fi
echo "run-suite: passed"
