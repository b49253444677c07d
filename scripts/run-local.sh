#!/usr/bin/env bash
# Runs the whole pipeline locally on generated sample data and prints what it produced.
#
#   scripts/run-local.sh                      every domain, incremental
#   scripts/run-local.sh --domain mentoring   one domain
#   scripts/run-local.sh --full-refresh       rebuild from bronze
#
# Needs only Java 17 and Maven: builds the jar, generates sample data (scale SAMPLE_SCALE,
# default 1) into data/raw when it is absent, then runs `pipeline` in one local Spark
# application. Output: data/warehouse, and data/report.html (the run, the quality trend and the
# three answers as charts: open it in a browser). WAREHOUSE_RAW / WAREHOUSE_PATH move the folders;
# SPARK_HOME uses an installed spark-submit; SPARK_MASTER / DRIVER_MEMORY size the run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

build_jar
cd "$REPO"
# conf/ is read from the working tree, so a config edit applies without a rebuild.
export WAREHOUSE_CONF_DIR="$REPO/conf"

raw="${WAREHOUSE_RAW:-data/raw}"
if [[ ! -d "$raw" ]]; then
  echo "no $raw: generating scale-${SAMPLE_SCALE:-1} sample data" >&2
  spark_submit generate-sample-data --scale "${SAMPLE_SCALE:-1}" --seed 42
fi
# The run's report is written even when a job failed: that is when it is most wanted.
status=0
spark_submit pipeline "$@" || status=$?
report="$(dirname "${WAREHOUSE_PATH:-data/warehouse}")/report.html"
spark_submit report --html "$(cd "$(dirname "$report")" && pwd)/report.html" | grep '^report: ' || true
exit "$status"
