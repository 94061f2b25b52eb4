#!/usr/bin/env bash
# How fast could observe, estimate and φ be if parts the concurrency contract requires were left out?
# Each patch in benchmarks/ceiling/ removes such a part (they are cumulative: 2 includes 1, 3 includes 2).
# The script builds the suite at HEAD and once per patch, each in a scratch worktree, then runs core
# from every jar and the three baselines from HEAD's, round after round, alternating the jars.
# The patched builds are wrong under contention or give wrong results: they measure, never ship.
# Run from the repository root, alone on the machine:   benchmarks/bin/ceiling.sh
# About 2 minutes of builds and 4 minutes per round. Environment:
#   ROUNDS=3      rounds (default 3); the summary shows each figure's median
#   OUT=dir       output directory (default benchmarks/target/ceiling)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
rounds="${ROUNDS:-3}"
out="${OUT:-benchmarks/target/ceiling}"
mkdir -p "$out"
rm -f "$out"/*.csv
scratch=$(mktemp -d)
trap 'for w in "$scratch"/*/; do git -C "$root" worktree remove --force "$w" >/dev/null 2>&1 || true; done; rm -rf "$scratch"' EXIT

observe='^ai\.bytesandbrains\.rtt\.ObserveBenchmark\.'
estimate='^ai\.bytesandbrains\.rtt\.EstimateBenchmark\.'
phi='^ai\.bytesandbrains\.rtt\.PhiBenchmark\.'
everything="$observe|$estimate|$phi"
preset=(-f 1 -wi 3 -w 1s -i 5 -r 1s -foe true)

build() { # name [patch]
    local dir="$scratch/$1"
    git worktree add --detach --quiet "$dir" HEAD
    if [[ -n "${2:-}" ]]; then git -C "$dir" apply "$root/$2"; fi
    (cd "$dir" && mvn -B -q -DskipTests -Dcheckstyle.skip -Djcstress.skip package -pl benchmarks -am)
    cp "$dir/benchmarks/target/benchmarks.jar" "$out/$1.jar"
}

echo "== building HEAD $(git rev-parse --short HEAD) and its ceiling patches"
build head
variants=(head)
for patch in benchmarks/ceiling/*.patch; do
    name=$(basename "$patch" .patch)
    build "$name" "$patch"
    variants+=("$name")
done

echo "== machine: $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((round = 1; round <= rounds; round++)); do
    echo "== round $round of $rounds: $(date -u +%H:%M:%S) UTC"
    java -jar "$out/head.jar" "${preset[@]}" -p impl=synchronized,atomicref,jctools -rf csv \
        -rff "$out/baselines-$round.csv" "$everything" > "$out/baselines-$round.log" 2>&1
    for v in "${variants[@]}"; do
        # A patch is measured on the operation its name says it changes: phi, estimate, otherwise observe.
        case "$v" in
            head) regex="$everything" ;;
            *phi*) regex="$phi" ;;
            *estimate*) regex="$estimate" ;;
            *) regex="$observe" ;;
        esac
        java -jar "$out/$v.jar" "${preset[@]}" -p impl=core -rf csv -rff "$out/$v-$round.csv" "$regex" \
            > "$out/$v-$round.log" 2>&1
    done
done

# Summary: the median over rounds of each (variant, benchmark) in ops/µs, and core's ratio to each baseline's median.
python3 - "$out" "${variants[@]}" <<'PY' | tee "$out/summary.md"
import csv, glob, os, statistics, sys
out, variants = sys.argv[1], sys.argv[2:]
def rows(pattern):
    scores = {}
    for path in sorted(glob.glob(os.path.join(out, pattern))):
        for row in csv.DictReader(open(path)):
            key = (row["Benchmark"].rsplit(".", 2)[-2] + "." + row["Benchmark"].rsplit(".", 1)[-1], row["Param: impl"])
            scores.setdefault(key, []).append(float(row["Score"]))
    return {k: statistics.median(v) for k, v in scores.items()}
baselines = rows("baselines-*.csv")
print("| variant | benchmark | core ops/µs | / synchronized | / atomicref | / jctools |")
print("|---|---|---:|---:|---:|---:|")
for v in variants:
    for (bench, impl), score in sorted(rows(v + "-*.csv").items()):
        ratios = ["%.2fx" % (score / baselines[(bench, b)]) if (bench, b) in baselines else "" for b in ("synchronized", "atomicref", "jctools")]
        print("| %s | %s | %.1f | %s |" % (v, bench, score, " | ".join(ratios)))
print()
print("Baselines (HEAD's jar), ops/µs: " + ", ".join("%s %s %.1f" % (b, i, s) for (b, i), s in sorted(baselines.items())))
PY
