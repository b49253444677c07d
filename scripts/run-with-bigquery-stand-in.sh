#!/usr/bin/env bash
# The README's quick start with gold published to BigQuery — a local stand-in of it: runs
# scripts/run-local.sh (every layer, publish included) with gold.sink = bigquery, through the
# packaged jar (its relocated BigQuery client) and the real spark-bigquery connector beside it,
# the pinned version, as a Dataproc runtime provides it. Proves the jar as shipped, on whatever
# SPARK_MASTER says (CI: a standalone cluster), then checks that every gold table of the warehouse
# arrived (all 24 when every domain runs) and that the stand-in was asked nothing it does not
# serve. Every publish also checks its own parity.
#
#   scripts/run-with-bigquery-stand-in.sh [pipeline options]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
build_jar
cd "$REPO"
if [[ ! -f common/target/test-classes/com/acme/warehouse/common/publish/standin/StandInServer.class ]]; then
  mvn -B -q -pl common test-compile >&2
fi

scratch="$(mktemp -d)"
stand_in=""
cleanup() {
  if [[ -n "$stand_in" ]]; then
    kill "$stand_in" 2>/dev/null || true
    wait "$stand_in" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT

# The test classpath of common: the stand-in, Spark, the connector and what it needs.
mvn -B -q -pl common dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$scratch/classpath.txt" >/dev/null
classpath="$REPO/common/target/test-classes:$REPO/common/target/classes:$(cat "$scratch/classpath.txt")"
connector_jars="$(tr ':' '\n' < "$scratch/classpath.txt" | grep -E 'spark-3\.5-bigquery|spark-mllib' | paste -sd, -)"

java -Xmx1g "${JAVA17_OPENS[@]}" -Duser.timezone=UTC -Dlog4j2.configurationFile="$LOG_CONFIG" \
  -cp "$classpath" com.acme.warehouse.common.publish.standin.StandInServer \
  "$scratch/endpoint" acme-stand-in > "$scratch/stand-in.log" 2>&1 &
stand_in=$!
for _ in $(seq 1 120); do
  [[ -s "$scratch/endpoint" ]] && break
  kill -0 "$stand_in" 2>/dev/null || { cat "$scratch/stand-in.log" >&2; exit 1; }
  sleep 1
done
endpoint="$(cat "$scratch/endpoint")"
echo "BigQuery stand-in at $endpoint" >&2

SPARK_JARS="$connector_jars" scripts/run-local.sh "$@" \
  --set gold.sink=bigquery --set bigquery.project=acme-stand-in \
  --set "bigquery.endpoint=$endpoint" --set bigquery.credentials=none \
  --set "bigquery.temporary-gcs-bucket=file://$scratch/staging"

kill "$stand_in"
wait "$stand_in" 2>/dev/null || true
stand_in=""
grep ' rows$' "$scratch/stand-in.log" >&2 || true
tables="$(grep -c ' rows$' "$scratch/stand-in.log" || true)"
gold="$(find "${WAREHOUSE_PATH:-data/warehouse}/gold" -mindepth 2 -maxdepth 2 -type d | wc -l)"
if [[ "$tables" -ne "$gold" ]] || grep -q UNSUPPORTED "$scratch/stand-in.log"; then
  echo "BigQuery stand-in: expected the $gold gold tables of the warehouse, found $tables" >&2
  exit 1
fi
echo "BigQuery stand-in: the $gold gold tables arrived through the packaged jar" >&2
