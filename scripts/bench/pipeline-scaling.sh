#!/usr/bin/env bash
# What a daily run costs against what arrived, at each scale (default 1 and 10; 100 ≈ 38M raw rows,
# 6.6 GB, when asked). For each scale, on fresh sample data, in this order on one machine:
#   full build   — `pipeline` on everything but the last week of deliveries of every domain
#   rerun        — `pipeline` again, nothing new
#   one delivery — the held-back week moved in, `pipeline`
#   floor        — a bare Spark read of the full build's raw files written once to Delta
#   exports      — at the largest scale only (where exports are largest): mentoring-silver-users
#                  alone on all its full exports, against the same alone on only the first (each
#                  into a fresh warehouse)
# Each is one spark-submit, timed from outside (JVM and Spark start-up included, as every run pays
# them), with its peak resident memory. Then per-job seconds and the ratios the targets are about.
# Everything it generates is removed afterwards. Run it on an otherwise idle machine.
#
#   scripts/bench/pipeline-scaling.sh [scales...]        DRIVER_MEMORY=2g to prove the heap target
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
scales=("$@")
[[ ${#scales[@]} -gt 0 ]] || scales=(1 10)
largest="$(printf '%s\n' "${scales[@]}" | sort -g | tail -1)"

bench_start=$SECONDS
build_jar
work="$(mktemp -d "${TMPDIR:-/tmp}/bench-scaling.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export WAREHOUSE_CONF_DIR="$REPO/conf"

# timed <name> <spark_submit arguments...>: one spark-submit, its stdout in $work/<name>.out (the
# jobs' runs pass --log-format json: a JSON summary per job, which the report reads);
# records "<name> <wall s> <peak resident KiB>" (the driver JVM, measured by GNU time).
timed() {
  local name="$1"
  shift
  /usr/bin/time -f "%e %M" -o "$work/$name.time" \
    bash -c 'source "$1"; shift; spark_submit "$@"' _ "$REPO/scripts/lib.sh" "$@" \
    > "$work/$name.out" 2> "$work/$name.err" || {
    tail -30 "$work/$name.err" >&2
    echo "$name failed" >&2
    exit 1
  }
  echo "$name $(cat "$work/$name.time")" >> "$work/timings"
}

# hold_last_week <raw> <held>: moves every file of the last 7 days of deliveries of each domain
# (by its dt=YYYY-MM-DD folder) from raw to held, keeping its path.
hold_last_week() {
  local raw="$1" held="$2" domain last cutoff file date
  for domain in "$raw"/*/; do
    domain="${domain%/}"
    last="$(find "$domain" -type d -name 'dt=*' | sed 's/.*dt=//' | sort | tail -1)"
    [[ -n "$last" ]] || continue
    cutoff="$(date -u -d "$last - 6 days" +%F)"
    while IFS= read -r file; do
      date="$(sed -E 's/.*dt=([0-9-]{10}).*/\1/' <<< "$file")"
      if [[ ! "$date" < "$cutoff" ]]; then
        mkdir -p "$held/$(dirname "${file#"$raw"/}")"
        mv "$file" "$held/${file#"$raw"/}"
      fi
    done < <(find "$domain" -type f -path '*dt=*')
  done
}

for scale in "${scales[@]}"; do
  raw="$work/$scale/raw"
  wh="$work/$scale/warehouse"
  settings=(--set "paths.raw=$raw" --set "paths.warehouse=$wh" --log-format json)
  echo "scale $scale: generating sample data ..." >&2
  phase_start=$SECONDS
  spark_submit generate-sample-data --scale "$scale" --seed 42 --out "$raw" \
    --set paths.warehouse="$work/$scale/gen" > /dev/null 2> "$work/gen.err"
  du -sh "$raw" | awk -v s="$scale" '{print "scale " s ": raw data " $1}' >> "$work/sizes"
  hold_last_week "$raw" "$work/$scale/held"
  echo "$scale generating $((SECONDS - phase_start))" >> "$work/phases"

  echo "scale $scale: full build, rerun, one more delivery, floor, exports ..." >&2
  phase_start=$SECONDS
  timed "$scale-full" pipeline "${settings[@]}"
  timed "$scale-rerun" pipeline "${settings[@]}"
  export SPARK_CLASS=com.acme.warehouse.jobs.bench.RawFloor
  timed "$scale-floor" "$raw" "$work/$scale/floor"
  unset SPARK_CLASS
  rm -rf "$work/$scale/floor"
  cp -r "$work/$scale/held/." "$raw/"
  timed "$scale-delivery" pipeline "${settings[@]}"
  echo "$scale runs $((SECONDS - phase_start))" >> "$work/phases"

  # The users' full exports, at the largest scale: the silver job alone on all of them, against the
  # same job alone on only the first, each into a fresh warehouse whose bronze holds just those
  # exports (all of them: the bronze table the runs above built, copied; the first: ingested).
  if [[ "$scale" == "$largest" ]]; then
    phase_start=$SECONDS
    export_dirs=("$raw"/mentoring/users/dt=*)
    for which in all 1; do
      exports="$work/$scale/exports-$which"
      mkdir -p "$exports/mentoring/users"
      export_settings=(--set "paths.raw=$exports" --set "paths.warehouse=$exports-wh" --log-format json)
      if [[ "$which" == all ]]; then
        mkdir -p "$exports-wh/bronze/mentoring"
        cp -r "$wh/bronze/mentoring/users" "$exports-wh/bronze/mentoring/"
      else
        cp -r "${export_dirs[0]}" "$exports/mentoring/users/"
        spark_submit mentoring-bronze-users "${export_settings[@]}" > /dev/null 2>> "$work/gen.err"
      fi
      timed "$scale-exports-$which" mentoring-silver-users "${export_settings[@]}"
      rm -rf "$exports" "$exports-wh"
    done
    echo "scale $scale: ${#export_dirs[@]} user exports" >> "$work/sizes"
    echo "$scale exports $((SECONDS - phase_start))" >> "$work/phases"
  fi
  rm -rf "$work/$scale/gen"
  rm -rf "$wh" "$raw" "$work/$scale/held"
done

python3 "$REPO/scripts/bench/pipeline_scaling_report.py" "$work" "${scales[@]}"
# Where the benchmark's own wall time went (the 1 + 10 pair is meant to take under 30 minutes).
awk -v total=$((SECONDS - bench_start)) '
  !($1 in by) { order[++scales] = $1 }
  { seconds[$2] += $3; by[$1] = by[$1] sprintf("  %s %d s", $2, $3) }
  END {
    for (i = 1; i <= scales; i++) print "scale " order[i] ":" by[order[i]]
    printf "benchmark wall %d s: generating %d, measured runs %d, exports pair %d, build and the rest %d\n",
      total, seconds["generating"], seconds["runs"], seconds["exports"],
      total - seconds["generating"] - seconds["runs"] - seconds["exports"]
  }' "$work/phases"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; master $SPARK_MASTER, driver heap $DRIVER_MEMORY"
