#!/usr/bin/env bash
# Commerce: the base load against one refresh set, at each scale (default 1 and 10). A refresh
# set should cost far less than the base load and grow little with the scale, since silver and
# gold touch only the orders it carries.
#
#   scripts/bench/commerce-refresh.sh [scales...]
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
scales=("$@")
[[ ${#scales[@]} -gt 0 ]] || scales=(1 10)

build_jar
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-commerce.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export WAREHOUSE_CONF_DIR="$REPO/conf"

raws=()
for scale in "${scales[@]}"; do
  raw="$work/raw-$scale"
  echo "generating commerce at scale $scale ..." >&2
  spark_submit generate-sample-data --scale "$scale" --seed 42 --out "$raw" \
    --set 'sample-data.domains=[commerce]' --set paths.warehouse="$work/gen" > /dev/null
  # The refresh sets wait aside; the harness moves the first one in after the base load.
  mv "$raw/commerce/refresh" "$raw-held"
  raws+=("$raw")
done
echo "master $SPARK_MASTER, heap $DRIVER_MEMORY"
SPARK_CLASS=com.acme.warehouse.jobs.bench.CommerceRefreshBenchmark \
  spark_submit "$work/scratch" "${raws[@]}" 2> "$work/stderr" || { tail -40 "$work/stderr" >&2; exit 1; }
