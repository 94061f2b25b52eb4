#!/usr/bin/env bash
# Convenience wrapper for tools/target/rtt-stat.jar, a self-contained executable jar:
#   java -jar tools/target/rtt-stat.jar --help     works the same, from anywhere, with no flag.
# Build it once with:  mvn -B -DskipTests package -pl tools -am
# Extra JVM options go in RTT_STAT_JAVA_OPTS.
set -euo pipefail
jar="$(cd "$(dirname "$0")/.." && pwd)/target/rtt-stat.jar"
if [[ ! -f "$jar" ]]; then
    echo "rtt-stat: $jar is not built; build it from the repository root with:" >&2
    echo "  mvn -B -DskipTests package -pl tools -am" >&2
    exit 1
fi
# shellcheck disable=SC2086 # RTT_STAT_JAVA_OPTS holds several options
exec java ${RTT_STAT_JAVA_OPTS:-} -jar "$jar" "$@"
