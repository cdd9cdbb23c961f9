#!/usr/bin/env bash
# The benchmarks of docs/benchmarks.md, on this machine, in one run: the broker's ceiling (Kafka's own perf tools),
# N preloaded logins through cleaner + stats (JVM; native too if built), then into the archiver's lake (one core),
# and through the same work on Apache Spark Structured Streaming, end-to-end latency at 1k/5k/20k logins/s, JMH micro-benchmarks, and a plot.
#
#   ./bench.sh --docs                 everything (N = 2,000,000); writes docs/benchmarks.md's table and docs/benchmarks.png
#   ./bench.sh                        the same, results only in modules/bench/target/bench
#   ./bench.sh --n 200000 --skip spark,jmh     smaller, without Spark and JMH
#   ./bench.sh --build ...            rebuild the modules first
#   ./bench.sh --help                 all flags
#
# Startup and memory of the services, JVM vs native (docs/benchmarks.md), is a run of its own from the same jar:
#   java -cp modules/bench/target/bench.jar dev.loginpulse.bench.Footprint [--modes jvm,native]
#
# Needs a JDK 21+ (the harness and services) and, for Spark, a JDK 17 at /usr/lib/jvm/java-17-openjdk-amd64
# (--spark-java PATH). The Spark job (modules/bench/spark) is built on first use with its own settings.xml.
set -euo pipefail
cd "$(dirname "$0")"

# shellcheck source=scripts/java-home.sh
. scripts/java-home.sh

if ! JAVA_HOME="$(pick_java_home)"; then
    echo "The bench needs a JDK 21 or newer (JAVA_HOME, java on the PATH, or /usr/lib/jvm)." >&2
    exit 1
fi
export JAVA_HOME

build=false
if [ "${1:-}" = "--build" ]; then
    build=true
    shift
fi
[ -f modules/bench/target/bench.jar ] || build=true
for service in cleaner stats dashboard archiver; do
    [ -f modules/$service/target/quarkus-app/quarkus-run.jar ] || build=true
done
if [ "$build" = true ]; then
    echo "Building the services and the bench (./mvnw package -DskipTests -pl modules/bench -am)..."
    ./mvnw -B -q -DskipTests package -pl modules/bench -am
fi

# The harness JVM also hosts the Kafka broker.
exec "$JAVA_HOME/bin/java" -Xmx2g -Dpulse.home="$PWD" -jar modules/bench/target/bench.jar "$@"
