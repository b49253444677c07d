#!/usr/bin/env bash
# Publishes a local warehouse's gold tables to the BigQuery stand-in through the packaged jar,
# exactly as Dataproc would run it: spark-submit, the relocated BigQuery client inside the jar,
# the real spark-bigquery connector beside it (the pinned version, as a cluster provides it).
# Proves the jar as shipped, not the test classpath. Needs `mvn verify` (or package +
# test-compile) to have run; CI calls it after the local pipeline run.
#
#   scripts/publish-smoke.sh <warehouse-path> <raw-path>
set -euo pipefail
source "$(dirname "$0")/lib.sh"
warehouse="${1:?warehouse path}"
raw="${2:?raw path}"
build_jar
cd "$REPO"

scratch="$(mktemp -d)"
stand_in=""
cleanup() {
  [[ -n "$stand_in" ]] && kill "$stand_in" 2>/dev/null && wait "$stand_in" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT

# The test classpath of common: the stand-in, Spark, and the connector with what it needs.
mvn -B -q -pl common dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$scratch/classpath.txt" >/dev/null
classpath="$REPO/common/target/test-classes:$REPO/common/target/classes:$(cat "$scratch/classpath.txt")"
connector_jars="$(tr ':' '\n' < "$scratch/classpath.txt" | grep -E 'spark-3\.5-bigquery|spark-mllib' | paste -sd, -)"

java -Xmx1g "${JAVA17_OPENS[@]}" -Duser.timezone=UTC -Dlog4j2.configurationFile="$LOG_CONFIG" \
  -cp "$classpath" com.acme.warehouse.common.publish.standin.StandInServer \
  "$scratch/endpoint" acme-smoke > "$scratch/stand-in.log" 2>&1 &
stand_in=$!
for _ in $(seq 1 120); do
  [[ -s "$scratch/endpoint" ]] && break
  kill -0 "$stand_in" 2>/dev/null || { cat "$scratch/stand-in.log" >&2; exit 1; }
  sleep 1
done
endpoint="$(cat "$scratch/endpoint")"
echo "BigQuery stand-in at $endpoint" >&2

export WAREHOUSE_CONF_DIR="$REPO/conf"
SPARK_JARS="$connector_jars" spark_submit pipeline --layer publish \
  --set "paths.warehouse=$warehouse" --set "paths.raw=$raw" \
  --set gold.sink=bigquery --set bigquery.project=acme-smoke \
  --set "bigquery.endpoint=$endpoint" --set bigquery.credentials=none \
  --set "bigquery.temporary-gcs-bucket=file://$scratch/staging"

kill "$stand_in"
wait "$stand_in" 2>/dev/null || true
stand_in=""
tables="$(grep -c ' rows$' "$scratch/stand-in.log" || true)"
grep ' rows$' "$scratch/stand-in.log" >&2
if [[ "$tables" -ne 24 ]] || grep -q UNSUPPORTED "$scratch/stand-in.log"; then
  echo "publish smoke: expected the 24 gold tables in the stand-in, found $tables" >&2
  exit 1
fi
echo "publish smoke: 24 gold tables published through the packaged jar" >&2
