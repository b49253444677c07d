#!/usr/bin/env bash
# Deploys the Airflow DAG to a Cloud Composer environment's bucket, with the job manifest it
# builds its tasks from (printed by the jar itself: `list --json`, so the DAG can never drift from
# the jobs the jar holds).
#
#   COMPOSER_BUCKET=gs://<composer-bucket> scripts/deploy-dag.sh [--dry-run]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
: "${COMPOSER_BUCKET:?set COMPOSER_BUCKET (the Composer environment bucket, gs://...)}"

build_jar
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
java -cp "$JAR:$(cat "$SPARK_CLASSPATH_FILE")" com.acme.warehouse.jobs.Main list --json \
  > "$out/warehouse_jobs.json" 2>/dev/null
cp "$REPO/scripts/airflow/warehouse_dag.py" "$out/"
if [[ "${1:-}" == "--dry-run" ]]; then
  echo gcloud storage cp "$out/warehouse_dag.py" "$out/warehouse_jobs.json" "$COMPOSER_BUCKET/dags/"
else
  gcloud storage cp "$out/warehouse_dag.py" "$out/warehouse_jobs.json" "$COMPOSER_BUCKET/dags/"
fi
