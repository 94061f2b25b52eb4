#!/usr/bin/env bash
# Inspect a live bb-rtt tracker file read-only, or export/import a JSON snapshot.
#   tools/bin/rtt-stat.sh FILE [--interval=MS] [--sort=phi --desc] [--top=N] [--once --format=json|csv]
#   tools/bin/rtt-stat.sh export FILE [--out=SNAPSHOT.json]
#   tools/bin/rtt-stat.sh import SNAPSHOT.json NEWFILE
# Builds tools/target/rtt-tools.jar on first use (set SKIP_BUILD=1 to never build).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="$root/tools/target/rtt-tools.jar"
if [[ ! -f "$jar" && "${SKIP_BUILD:-0}" != 1 ]]; then
    (cd "$root" && mvn -B -q -DskipTests package -pl tools -am) >&2
fi
# Agrona reads jdk.internal.misc: every JVM that loads it needs this flag.
exec java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED ${RTT_STAT_JAVA_OPTS:-} -jar "$jar" "$@"
