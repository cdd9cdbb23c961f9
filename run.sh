#!/usr/bin/env bash
# Runs the whole login-pulse pipeline on this machine: a real Kafka broker (KRaft, 127.0.0.1:9092) and the four
# services (generator :8081, cleaner :8082, stats :8083, dashboard :8080, archiver :8084), then prints the dashboard
# URL. The archiver's Iceberg lake lives beside the broker's data (PULSE_DATA_DIR=.pulse-data: .pulse-data/lake).
# Ctrl-C (or SIGTERM) stops everything.
#
#   ./run.sh                          build what is missing, run with empty topics
#   ./run.sh --build                  rebuild first
#   PULSE_GENERATOR_RATE=0 ./run.sh   a silent pipeline: feed user-login yourself (e.g. with kcat)
#   PULSE_DATA_DIR=.pulse-data ./run.sh   keep the broker's data across runs
#   PULSE_MODE=native ./run.sh        run the native executables (build them with ./mvnw package -Dnative)
#   ./run.sh --brokers 3              a 3-node KRaft cluster (ports 9092-9094, every topic 3 replicas, 2 in sync)
#   ./run.sh --kafka host:9092        use that Kafka instead of starting one (KAFKA_* security variables then apply)
#   ./run.sh replay-dlq --reason TOO_LARGE --from 2026-12-01   re-feed dead letters once a rule is fixed (--help)
#
# PULSE_* and QUARKUS_* variables pass through to the services. KAFKA_* variables of your shell do not, unless
# --kafka names an external Kafka: the services use the broker this script starts. A service that exits or stays
# not live is restarted (with a growing back-off); one that keeps failing stops everything, naming its log.
set -euo pipefail
cd "$(dirname "$0")"

# shellcheck source=scripts/java-home.sh
. scripts/java-home.sh

if ! JAVA_HOME="$(pick_java_home)"; then
    echo "login-pulse needs a JDK 21 or newer (JAVA_HOME, java on the PATH, or /usr/lib/jvm)." >&2
    exit 1
fi
export JAVA_HOME

if [ "${1:-}" = replay-dlq ]; then
    shift
    [ -f modules/launcher/target/launcher.jar ] || ./mvnw -B -q -DskipTests package -pl modules/launcher -am
    exec "$JAVA_HOME/bin/java" -cp modules/launcher/target/launcher.jar dev.loginpulse.launcher.ReplayDlqCommand "$@"
fi

mode="${PULSE_MODE:-jvm}"
build=false
while [ $# -gt 0 ]; do
    case "$1" in
        --build) build=true ;;
        --brokers)
            [ $# -ge 2 ] || { echo "--brokers needs a number, e.g. --brokers 3" >&2; exit 2; }
            case "$2" in ''|*[!0-9]*|0) echo "--brokers needs a number of at least 1, not '$2'" >&2; exit 2 ;; esac
            export PULSE_BROKERS="$2"
            shift ;;
        --kafka)
            [ $# -ge 2 ] || { echo "--kafka needs the bootstrap servers, e.g. --kafka my-kafka:9092" >&2; exit 2; }
            export PULSE_EXTERNAL_KAFKA="$2"
            shift ;;
        *) echo "Unknown argument $1 (./run.sh [--build] [--brokers N] [--kafka host:port])" >&2; exit 2 ;;
    esac
    shift
done
[ -f modules/launcher/target/launcher.jar ] || build=true
for service in generator cleaner stats dashboard archiver; do
    # the archiver is JVM only (docs/native.md): its jar runs in native mode too
    if [ "$mode" = native ] && [ "$service" != archiver ]; then
        ls modules/$service/target/$service-*-runner >/dev/null 2>&1 || build=true
    else
        [ -f modules/$service/target/quarkus-app/quarkus-run.jar ] || build=true
    fi
done
if [ "$build" = true ]; then
    echo "Building login-pulse (once; ./run.sh --build rebuilds)..."
    native_flag=()
    if [ "$mode" = native ]; then
        native_flag=(-Dnative)
        # No GraalVM/Mandrel here? This repository's machines assemble one with the shared toolchain (docs/native.md).
        if [ -z "${GRAALVM_HOME:-}" ] && ! command -v native-image >/dev/null 2>&1 \
            && [ -x ../shared/native-toolchain/setup.sh ]; then
            GRAALVM_HOME="$(../shared/native-toolchain/setup.sh | tail -1)"
            export GRAALVM_HOME
        fi
    fi
    ./mvnw -B -q -DskipTests "${native_flag[@]}" package
fi

# The launcher (modules/launcher) hosts the Kafka broker (modules/dev-broker) in its JVM, unless --kafka names one.
exec "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx1g -Dpulse.home="$PWD" -jar modules/launcher/target/launcher.jar
