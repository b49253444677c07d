#!/usr/bin/env bash
# Bronze ingestion against its floor (a bare Spark text read of the same files written to
# Delta), in one Spark application, on generated sample data. Prints both times, rows/s and the
# ratio (target: <= 1.3 at scale 10).
#
#   scripts/bench/bronze-ingest.sh [scale=10] [rounds=2]
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
scale="${1:-10}"
rounds="${2:-2}"

build_jar
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-bronze.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export WAREHOUSE_CONF_DIR="$REPO/conf"

echo "generating scale $scale sample data ..." >&2
spark_submit generate-sample-data --scale "$scale" --seed 42 --out "$work/raw" \
  --set paths.warehouse="$work/gen-warehouse" > /dev/null
echo "scale $scale, $rounds rounds, master $SPARK_MASTER, heap $DRIVER_MEMORY"
SPARK_CLASS=com.acme.warehouse.jobs.bench.BronzeBenchmark \
  spark_submit "$work/raw" "$work/scratch" "$rounds" 2> "$work/stderr" \
  || { tail -50 "$work/stderr" >&2; exit 1; }
