#!/usr/bin/env bash
# Build the samples module (and core) and run the loopback demo: adaptive deadlines vs a static timeout.
# Usage, from anywhere: bash samples/bin/demo.sh [--run-seconds N] [--static-timeout-ms N] [--seed N]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -DskipTests install -pl samples -am
exec java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED -Djava.awt.headless=true -Xmx512m \
    -jar samples/target/demo.jar --out samples/target "$@"
