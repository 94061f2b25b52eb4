#!/usr/bin/env bash
# The README's Quick start, as a consumer meets it: a fresh Maven project outside this repository whose
# pom holds exactly the README's dependency snippet and whose main class is exactly the README's example
# must compile against the artifacts this repository installs, run with the Agrona flag, and print
# exactly the output the README shows; and the README's one "see it work" command, run in this
# checkout, must print the same. Everything is read from README.md (the fenced blocks between
# <!-- begin:NAME --> and <!-- end:NAME -->), never copied, so the check fails when the README drifts.
#
# Usage: bash .ci/consumer-check.sh            (from anywhere; exit 0 when the README holds)
# Environment:
#   MAVEN_REPO_LOCAL  local repository to install into and resolve from (default: Maven's, ~/.m2/repository)
#   SKIP_INSTALL=1    the repository's artifacts are already installed there; do not run mvn install
#   OFFLINE           1: build the consumer offline (-o); 0: let it download; default auto: offline when
#                     the plugins it pins are already in the local repository (the install resolves them)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
readme="$root/README.md"
flag="--add-exports java.base/jdk.internal.misc=ALL-UNNAMED"

mvn_args=(-B -q)
if [[ -n "${MAVEN_REPO_LOCAL:-}" ]]; then
    mvn_args+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
fi

# The lines inside the one fenced block that sits between <!-- begin:NAME --> and <!-- end:NAME -->,
# the same rule as getting-started's ReadmeBlocks; anything else fails loudly.
block() {
    awk -v name="$1" -v file="$readme" '
        function fail(msg) { print "consumer-check: " file ": block \"" name "\": " msg > "/dev/stderr"; failed = 1; exit 3 }
        BEGIN { b = "<!-- begin:" name " -->"; e = "<!-- end:" name " -->"; state = 0; n = 0 }
        { t = $0; sub(/^[ \t]+/, "", t); sub(/[ \t\r]+$/, "", t) }
        state == 0 { if (t == b) state = 1; else if (t == e) fail("end marker before begin marker"); next }
        state == 1 { if ($0 ~ /^```/) { state = 2; next } fail("the line after the begin marker is not a code fence") }
        state == 2 { if ($0 == "```") { state = 3; next } if ($0 ~ /^```/) fail("a second code fence"); out[++n] = $0; next }
        state == 3 { if (t == e) { state = 4; next } fail("the line after the closing fence is not the end marker") }
        state == 4 { if (t == b || t == e) fail("the markers appear twice") }
        END {
            if (failed) exit 3
            if (state != 4) fail("markers or fences missing")
            for (i = 1; i <= n; i++) print out[i]
        }' "$readme"
}

dependency="$(block dependency)"
example="$(block example)"
expected="$(block example-output)"
quickstart="$(block quickstart)"
class="$(sed -n 's/^public final class \([A-Za-z0-9_]*\).*/\1/p' <<<"$example")"
if [[ -z "$class" ]]; then
    echo "consumer-check: README example declares no 'public final class'" >&2
    exit 1
fi

if [[ "${SKIP_INSTALL:-0}" != 1 ]]; then
    echo "consumer-check: mvn install -DskipTests in $root" >&2
    # -DskipStress: the jcstress suite belongs to mvn verify, not to making the artifacts.
    (cd "$root" && mvn "${mvn_args[@]}" install -DskipTests -DskipStress=true)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/bb-rtt-consumer.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/src/main/java"
printf '%s\n' "$example" > "$work/src/main/java/$class.java"
# A consumer's own pom: no parent, nothing inherited from this repository but the README's snippet.
# Plugin versions are pinned to those this repository's build uses, so that offline they are present.
cat > "$work/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 http://maven.apache.org/xsd/maven-4.0.0.xsd">
    <modelVersion>4.0.0</modelVersion>
    <groupId>com.example</groupId>
    <artifactId>bb-rtt-consumer</artifactId>
    <version>1</version>
    <properties>
        <maven.compiler.release>17</maven.compiler.release>
        <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    </properties>
    <dependencies>
$dependency
    </dependencies>
    <build>
        <plugins>
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-resources-plugin</artifactId>
                <version>3.3.1</version>
            </plugin>
            <plugin>
                <groupId>org.apache.maven.plugins</groupId>
                <artifactId>maven-compiler-plugin</artifactId>
                <version>3.14.0</version>
            </plugin>
            <plugin>
                <groupId>org.codehaus.mojo</groupId>
                <artifactId>exec-maven-plugin</artifactId>
                <version>3.5.0</version>
                <configuration>
                    <executable>\${java.home}/bin/java</executable>
                    <commandlineArgs>$flag -classpath %classpath $class</commandlineArgs>
                    <outputFile>\${project.build.directory}/example-output.txt</outputFile>
                </configuration>
            </plugin>
        </plugins>
    </build>
</project>
EOF

# Offline proves that the install alone provides what the snippet names. The plugins the consumer pom
# pins come with this repository's own build, unless a module stops using one: then go online.
local_repo="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
offline="${OFFLINE:-auto}"
if [[ "$offline" == auto ]]; then
    offline=1
    for jar in org/apache/maven/plugins/maven-resources-plugin/3.3.1/maven-resources-plugin-3.3.1.jar \
               org/apache/maven/plugins/maven-compiler-plugin/3.14.0/maven-compiler-plugin-3.14.0.jar \
               org/codehaus/mojo/exec-maven-plugin/3.5.0/exec-maven-plugin-3.5.0.jar; do
        [[ -f "$local_repo/$jar" ]] || offline=0
    done
fi
consumer_args=("${mvn_args[@]}")
if [[ "$offline" != 0 ]]; then
    consumer_args+=(-o)
fi
echo "consumer-check: compiling and running the README's example in $work (offline=$offline)" >&2
if ! (cd "$work" && mvn "${consumer_args[@]}" compile exec:exec); then
    echo "consumer-check: FAILED: the consumer project did not build or run; its output:" >&2
    cat "$work/target/example-output.txt" >&2 2>/dev/null || true
    exit 1
fi
if ! diff -u <(printf '%s\n' "$expected") "$work/target/example-output.txt" >&2; then
    echo "consumer-check: FAILED: the example's output (+) differs from the README's (-)" >&2
    exit 1
fi

# The Quick start command, as a reader pastes it into a shell at the root of a clone.
echo "consumer-check: running the README's quickstart command in $root" >&2
quick_opts="${MAVEN_OPTS:-}"
if [[ -n "${MAVEN_REPO_LOCAL:-}" ]]; then
    quick_opts="$quick_opts -Dmaven.repo.local=$MAVEN_REPO_LOCAL"
fi
if ! (cd "$root" && MAVEN_OPTS="$quick_opts" bash -euo pipefail -c "$quickstart") > "$work/quickstart-output.txt"; then
    echo "consumer-check: FAILED: the README's quickstart command failed" >&2
    exit 1
fi
# mvn -q can still print colour resets on stdout; only the program's lines count.
if ! diff -u <(printf '%s\n' "$expected") <(sed 's/\x1b\[[0-9;]*m//g' "$work/quickstart-output.txt") >&2; then
    echo "consumer-check: FAILED: the quickstart command's output (+) differs from the README's (-)" >&2
    exit 1
fi
echo "consumer-check: OK: the README's dependency snippet, example and quickstart command build and print the README's output"
