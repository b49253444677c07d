#!/usr/bin/env bash
# Kill -9 anywhere, rerun, nothing lost: builds a warehouse through runs killed with SIGKILL at
# random moments and compares every bronze, silver and gold table with a clean build of the same
# raw files (the multiset of rows on every column but the run that wrote them and when).
#
#   scripts/chaos/kill-rerun.sh [kills]          default 20 kills, every domain, scale 0.02
#
# A round starts from an empty warehouse and runs `pipeline` (the jobs of one spark-submit, as
# Airflow or a person would rerun them) over and over: each run is killed after a random delay
# between KILL_MIN seconds and the clean build's duration, unless it finishes first; the run that
# finishes ends the round, and the round's warehouse is compared with the clean one. (KILL_MAX caps
# the delay: kills then fall early in each run, and the runs that follow, skipping what finished,
# carry them further along the pipeline — the CI-sized variant.) Rounds go on
# until `kills` runs were killed; a last round may be cut short by the kill count, and is then run
# to completion. A killed run's job leases stay until they expire (jobs.lease-ttl, 15s here): a
# rerun that fails only because of them is retried, as Airflow's retry delay would. Any other
# failed rerun, or any table that differs, fails the script naming the round (and the table). The
# seed (SEED, printed) makes the delays reproducible.
#
# Environment: SEED, SAMPLE_SCALE (0.02), DOMAIN (one domain only), KILL_MIN (5), KILL_MAX,
# CLEAN_WAREHOUSE + CLEAN_SECONDS + WAREHOUSE_RAW (reuse a clean build of those raw files).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"
kills="${1:-20}"
seed="${SEED:-$(date +%s)}"
RANDOM="$seed"
kill_min="${KILL_MIN:-5}"
domain=()
[[ -n "${DOMAIN:-}" ]] && domain=(--domain "$DOMAIN")

build_jar
work="$(mktemp -d "${TMPDIR:-/tmp}/chaos.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export WAREHOUSE_CONF_DIR="$REPO/conf"
echo "kill-rerun: $kills kills, seed $seed, scale ${SAMPLE_SCALE:-0.02}${DOMAIN:+, domain $DOMAIN}"

raw="${WAREHOUSE_RAW:-$work/raw}"
if [[ ! -d "$raw" ]]; then
  spark_submit generate-sample-data --scale "${SAMPLE_SCALE:-0.02}" --seed 42 --out "$raw" \
    --set paths.warehouse="$work/gen" > /dev/null 2> "$work/gen.err"
fi

# run_pipeline <warehouse> <log>: one `pipeline` run in the background, in its own process group
# (so the kill reaches the JVM, not only the shell), its pid in $run_pid. --verbose: each job's
# start is logged, so a kill can say which job it interrupted.
run_pipeline() {
  setsid bash -c 'source "$1"; shift; spark_submit "$@"' _ "$REPO/scripts/lib.sh" \
    pipeline "${domain[@]}" --set "paths.raw=$raw" --set "paths.warehouse=$1" \
    --set jobs.lease-ttl=15s --verbose > "$2" 2>&1 &
  run_pid=$!
}

clean="${CLEAN_WAREHOUSE:-}"
if [[ -z "$clean" ]]; then
  clean="$work/clean"
  start=$SECONDS
  run_pipeline "$clean" "$work/clean.log"
  wait "$run_pid" || { tail -30 "$work/clean.log"; echo "the clean build failed" >&2; exit 1; }
  clean_seconds=$((SECONDS - start))
else
  clean_seconds="${CLEAN_SECONDS:?CLEAN_SECONDS: how long the clean build took}"
fi
echo "clean build: ${clean_seconds}s"
kill_max="${KILL_MAX:-$clean_seconds}"

# compare <round> <warehouse>: every table of the round's warehouse against the clean build.
compare() {
  if ! SPARK_CLASS=com.acme.warehouse.jobs.bench.WarehouseDiff spark_submit "$clean" "$2" ${DOMAIN:-} \
    > "$work/diff.out" 2> "$work/diff.err"; then
    grep -E '^DIFFERS|differ' "$work/diff.out" | sed "s/^/round $1: /" >&2 || tail -30 "$work/diff.err" >&2
    echo "round $1: the warehouse built through killed runs differs from the clean build" >&2
    exit 1
  fi
  echo "round $1: $(tail -1 "$work/diff.out")"
}

killed=0
round=0
total_start=$SECONDS
while ((killed < kills)); do
  round=$((round + 1))
  chaos="$work/round-$round"
  attempt=0
  while true; do
    attempt=$((attempt + 1))
    log="$work/round-$round-run-$attempt.log"
    # Once enough runs were killed, the round's last run goes to completion.
    delay=""
    ((killed < kills)) && delay=$((kill_min + RANDOM % (kill_max - kill_min + 1)))
    start=$SECONDS
    run_pipeline "$chaos" "$log"
    while kill -0 "$run_pid" 2> /dev/null && [[ -z "$delay" || $((SECONDS - start)) -lt "$delay" ]]; do
      sleep 1
    done
    if kill -0 "$run_pid" 2> /dev/null; then
      kill -9 -- -"$run_pid" 2> /dev/null || true
      wait "$run_pid" 2> /dev/null || true
      killed=$((killed + 1))
      # Where it was: how many jobs this run had finished (a "[i/n] job ..." line each), and the
      # last one that started.
      finished="$(grep -cE '^\[ *[0-9]+/[0-9]+\] ' "$log" || true)"
      last="$(grep -o 'job [a-z0-9-]* run [0-9a-f-]* started' "$log" | tail -1 | cut -d' ' -f2)"
      echo "round $round, run $attempt: killed after ${delay}s (kill $killed of $kills)," \
        "$finished jobs finished, last started: ${last:-none}"
      continue
    fi
    if ! wait "$run_pid"; then
      if grep -q "another run holds its tables" "$log"; then
        echo "round $round, run $attempt: a killed run's lease has not expired yet; again in 5s"
        sleep 5
        continue
      fi
      tail -30 "$log" >&2
      echo "round $round, run $attempt: a rerun after a kill failed (log above)" >&2
      exit 1
    fi
    echo "round $round, run $attempt: finished in $((SECONDS - start))s"
    break
  done
  compare "$round" "$chaos"
  rm -rf "$chaos"
done
echo "kill-rerun: $killed kills in $round rounds, every table equal to the clean build;" \
  "$((SECONDS - total_start))s after the clean build (seed $seed)"
