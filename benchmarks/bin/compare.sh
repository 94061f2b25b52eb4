#!/usr/bin/env bash
# The main job: build the benchmark suite, run the comparison preset (core against both baselines,
# every benchmark, -prof gc), and print the comparison table with the project's targets.
# Run from the repository root:   benchmarks/bin/compare.sh [JMH benchmark regex]
# Takes about 8 minutes on 2 cores. Environment:
#   SKIP_BUILD=1     reuse benchmarks/target/benchmarks.jar
#   JMH_PRESET=...   replace the preset's iteration options (default below)
#   CHARTS=1         also draw the PNG charts into benchmarks/target/compare/
set -euo pipefail
cd "$(dirname "$0")/../.."

filter="${1:-ai.bytesandbrains.rtt.*}"
preset="${JMH_PRESET:--f 1 -wi 2 -w 1s -i 3 -r 1s}"
out="benchmarks/target/compare"
json="$out/result.json"
mkdir -p "$out"

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    mvn -B -q -DskipTests package -pl benchmarks -am
fi

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== java: $(java -version 2>&1 | head -1)"
# -foe true: a benchmark that throws fails the run (JMH exits 0 otherwise).
# shellcheck disable=SC2086
java -jar benchmarks/target/benchmarks.jar $preset -foe true -prof gc -rf json -rff "$json" "$filter" \
    > "$out/jmh.log" 2>&1 || { tail -50 "$out/jmh.log"; echo "compare: JMH failed, log in $out/jmh.log" >&2; exit 1; }

echo
java -cp benchmarks/target/benchmarks.jar ai.bytesandbrains.rtt.report.ResultsTable "$json" | tee "$out/table.md"
if [[ "${CHARTS:-0}" == 1 ]]; then
    java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar \
        ai.bytesandbrains.rtt.report.ResultsChart "$json" "$out"
fi
echo
echo "JMH JSON: $json   full log: $out/jmh.log   table: $out/table.md"
