#!/usr/bin/env bash
# Puts Apache Kafka's broker jars (org.apache.kafka:kafka_2.13 from Maven Central, .ci/kafka/pom.xml) into
# target/kafka/libs, for the Kafka cluster the tests start (3 KRaft brokers on loopback, no Docker:
# src/test/java/dev/enphaseetl/kafka/KafkaCluster.java). Idempotent; run by .ci/services.sh and, when that was
# skipped, by the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
libs=target/kafka/libs
if [ -f "$libs/.complete" ]; then
    exit 0
fi
mkdir -p "$libs"
offline=()
[ "${KAFKA_LIBS_OFFLINE:-}" = "true" ] && offline=(-o)
./mvnw -B -ntp -q "${offline[@]}" -f .ci/kafka/pom.xml dependency:copy-dependencies \
    -DoutputDirectory="$PWD/$libs" -DincludeScope=runtime \
    || { echo "kafka.sh: ERROR: could not resolve org.apache.kafka:kafka_2.13 (see .ci/kafka/pom.xml)" >&2; exit 1; }
touch "$libs/.complete"
echo "kafka.sh: Kafka broker jars in $libs"
