#!/usr/bin/env bash
# The main job: build the benchmark suite, run the comparison preset (core against every baseline,
# every benchmark, -prof gc), and print the comparison table with the speed targets.
# Run from the repository root:   benchmarks/bin/compare.sh [JMH benchmark regex]
# Takes about 12 minutes per run on 2 cores (the whole suite; the target preset in RESULTS.md, about 7). Environment:
#   RUNS=3           run the whole suite 3 times, one after the other (default 1); the table shows each
#                    run's ratio and judges the targets on the median, the charts draw medians
#   SKIP_BUILD=1     reuse benchmarks/target/benchmarks.jar
#   JMH_PRESET=...   replace the preset's iteration options (default below)
#   JMH_ARGS=...     more JMH options for every run, e.g. '-p impl=core,synchronized'
#   JAVA_FLAGS=...   JVM flags of the launcher, which every fork inherits, e.g.
#                    '-Dagrona.disable.bounds.checks=true' (JMH's -jvmArgsAppend would replace the
#                    benchmarks' own --add-exports instead of adding to it)
#   CHARTS=1         also draw the PNG charts into the output directory
#   OUT=dir          output directory (default benchmarks/target/compare); its result-*.json are replaced
set -euo pipefail
cd "$(dirname "$0")/../.."

filter="${1:-ai.bytesandbrains.rtt.*}"
preset="${JMH_PRESET:--f 1 -wi 2 -w 1s -i 3 -r 1s}"
runs="${RUNS:-1}"
out="${OUT:-benchmarks/target/compare}"
mkdir -p "$out"
rm -f "$out"/result-*.json

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    mvn -B -q -DskipTests package -pl benchmarks -am
fi

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== java: $(java -version 2>&1 | head -1)"
# Whole suite after whole suite, not each benchmark N times in a row: a slow spell of the machine then
# spoils one run of many benchmarks, which the median discards, instead of every run of one benchmark.
jsons=()
for ((run = 1; run <= runs; run++)); do
    json="$out/result-$run.json"
    log="$out/jmh-$run.log"
    echo "== run $run of $runs: $(date -u +%H:%M:%S) UTC"
    # -foe true: a benchmark that throws fails the run (JMH exits 0 otherwise).
    # shellcheck disable=SC2086
    java ${JAVA_FLAGS:-} -jar benchmarks/target/benchmarks.jar $preset ${JMH_ARGS:-} -foe true -prof gc -rf json -rff "$json" "$filter" \
        > "$log" 2>&1 || { tail -50 "$log"; echo "compare: JMH failed, log in $log" >&2; exit 1; }
    jsons+=("$json")
done
echo
java -cp benchmarks/target/benchmarks.jar ai.bytesandbrains.rtt.report.ResultsTable "${jsons[@]}" | tee "$out/table.md"
if [[ "${CHARTS:-0}" == 1 ]]; then
    java -Djava.awt.headless=true -cp benchmarks/target/benchmarks.jar \
        ai.bytesandbrains.rtt.report.ResultsChart "${jsons[@]}" "$out"
fi
echo
echo "JMH JSON: ${jsons[*]}   logs: $out/jmh-*.log   table: $out/table.md"
