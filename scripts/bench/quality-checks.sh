#!/usr/bin/env bash
# Every check a fact table would declare, on a table of N rows (default 10M), against one full
# scan of it; prints both and the ratio (target < 2).
#
#   scripts/bench/quality-checks.sh [rows]
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
rows="${1:-10000000}"
build_jar
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-quality.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export WAREHOUSE_CONF_DIR="$REPO/conf"
echo "master $SPARK_MASTER, heap $DRIVER_MEMORY"
SPARK_CLASS=com.acme.warehouse.jobs.bench.QualityBenchmark \
  spark_submit "$work" "$rows" 2> "$work/stderr" || { tail -40 "$work/stderr" >&2; exit 1; }
