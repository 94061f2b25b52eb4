#!/usr/bin/env bash
# Runs every benchmark once, very briefly, and fails if any benchmark crashes. Asserts no timings.
# Usage (from the repository root): benchmarks/bin/smoke.sh   [set SKIP_BUILD=1 to reuse the jar]
set -euo pipefail
cd "$(dirname "$0")/../.."

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    mvn -B -q -DskipTests package -pl benchmarks -am
fi

out="benchmarks/target/smoke"
mkdir -p "$out"
# -foe true: a benchmark that throws makes JMH exit non-zero (without it JMH exits 0).
java -jar benchmarks/target/benchmarks.jar \
    -f 1 -wi 0 -i 1 -r 100ms -foe true \
    -rf json -rff "$out/smoke.json" \
    "ai.bytesandbrains.rtt.*" | tee "$out/smoke.log"

# Belt and braces: every benchmark the jar lists must have produced a result.
listed=$(java -jar benchmarks/target/benchmarks.jar -l | grep -c '^ai\.bytesandbrains\.rtt\.')
ran=$(grep -o '"benchmark" : "[^"]*"' "$out/smoke.json" | sort -u | wc -l)
if [[ "$ran" -ne "$listed" ]]; then
    echo "smoke: $listed benchmarks listed but only $ran produced results" >&2
    exit 1
fi
echo "smoke: all $listed benchmarks ran"

# The report code reads real JMH output, not only its test fixtures: a change in JMH's JSON (or in a
# benchmark's name) that empties the tail-latency table fails here.
java -cp benchmarks/target/benchmarks.jar ai.bytesandbrains.rtt.report.ResultsTable "$out/smoke.json" > "$out/table.md"
if ! grep -Eq '^\| estimate \| core \| [0-9]' "$out/table.md"; then
    echo "smoke: the report has no tail latency for core's estimate; see $out/table.md" >&2
    exit 1
fi
echo "smoke: report written to $out/table.md"
