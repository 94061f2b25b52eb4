#!/usr/bin/env bash
# Run the loopback demo (about 35 s): adaptive deadlines vs a static timeout, on real UDP sockets.
# Usage, from anywhere: bash samples/bin/demo.sh [--run-seconds N] [--static-timeout-ms N] [--seed N] ...
#   (--help lists every option). The chart goes to samples/target unless --out DIR is given.
# The jar is self-contained (java -jar samples/target/demo.jar works the same); build it once with:
#   mvn -B -DskipTests package -pl samples -am
set -euo pipefail
target="$(cd "$(dirname "$0")/.." && pwd)/target"
jar="$target/demo.jar"
if [[ ! -f "$jar" ]]; then
    echo "demo: $jar is not built; build it from the repository root with:" >&2
    echo "  mvn -B -DskipTests package -pl samples -am" >&2
    exit 1
fi
out=(--out "$target")
for arg in "$@"; do
    if [[ "$arg" == --out || "$arg" == --out=* ]]; then
        out=()
    fi
done
exec java -Djava.awt.headless=true -Xmx512m -jar "$jar" "${out[@]}" "$@"
