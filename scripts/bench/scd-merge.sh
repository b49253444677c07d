#!/usr/bin/env bash
# SCD2 merge of a 1%-changed batch into dimensions of 100k, 1M and 10M rows (or the sizes given):
# time per merge and ratio to the smallest size. The cost should follow the batch and the files
# it touches, not the table.
#
#   scripts/bench/scd-merge.sh [deletion-vectors=true] [sizes...]
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
dv="${1:-true}"
shift || true
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(100000 1000000 10000000)

build_jar
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-scd.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export WAREHOUSE_CONF_DIR="$REPO/conf"
echo "master $SPARK_MASTER, heap $DRIVER_MEMORY"
SPARK_CLASS=com.acme.warehouse.jobs.bench.ScdBenchmark \
  spark_submit "$work" "$dv" "${sizes[@]}" 2> "$work/stderr" || { tail -40 "$work/stderr" >&2; exit 1; }
