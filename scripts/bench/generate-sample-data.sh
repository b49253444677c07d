#!/usr/bin/env bash
# Measures generate-sample-data: wall time, peak resident memory of the whole JVM (Spark
# included, which the job starts for its run log) and output size, per scale.
#
#   scripts/bench/generate-sample-data.sh            scales 1 and 100
#   scripts/bench/generate-sample-data.sh 1 10       other scales
#
# DRIVER_MEMORY (default 1g) caps the heap: the generator streams, so it must not need more
# at scale 100 than at scale 1. Output goes to a temporary folder, removed afterwards.
set -euo pipefail
export DRIVER_MEMORY="${DRIVER_MEMORY:-1g}"
source "$(dirname "$0")/../lib.sh"
scales=("$@")
[[ ${#scales[@]} -gt 0 ]] || scales=(1 100)

build_jar
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-generate.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export WAREHOUSE_CONF_DIR="$REPO/conf"

printf '%-6s %10s %12s %10s %12s\n' scale seconds peak_rss_mb out_mb rows
for scale in "${scales[@]}"; do
  out="$work/raw-$scale"
  /usr/bin/time -f '%e %M' -o "$work/time" \
    bash -c "source '$REPO/scripts/lib.sh'; spark_submit generate-sample-data \
      --scale $scale --seed 42 --out '$out' --set paths.warehouse='$work/warehouse' \
      --log-format json" > "$work/stdout" 2> "$work/stderr" \
    || { cat "$work/stderr" >&2; exit 1; }
  read -r seconds rss_kb < "$work/time"
  rows="$(grep -o '"rows_written":[0-9]*' "$work/stdout" | head -1 | cut -d: -f2)"
  size_mb="$(du -sm "$out" | cut -f1)"
  printf '%-6s %10s %12d %10s %12s\n' "$scale" "$seconds" "$((rss_kb / 1024))" "$size_mb" "$rows"
  rm -rf "$out"
done
echo "(heap capped at -Xmx$DRIVER_MEMORY)"
