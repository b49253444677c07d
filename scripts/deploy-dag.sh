#!/usr/bin/env bash
# Deploys the Airflow DAG to a Cloud Composer environment's bucket, with the job manifest it
# builds its tasks from (printed by the jar itself: `list --json`, so the DAG can never drift from
# the jobs the jar holds), and uploads both jars (Scala 2.12 for clusters, 2.13 for serverless),
# content-addressed, printing the Airflow Variables that point the DAG at them.
#
#   COMPOSER_BUCKET=gs://<composer-bucket> WAREHOUSE_BUCKET=<bucket> scripts/deploy-dag.sh [--dry-run]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${COMPOSER_BUCKET:?set COMPOSER_BUCKET (the Composer environment bucket, gs://...)}"
: "${WAREHOUSE_BUCKET:?set WAREHOUSE_BUCKET (where the jars go)}"
export DRY_RUN=false
[[ "${1:-}" == "--dry-run" ]] && DRY_RUN=true

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for scala in 2.13 2.12; do # 2.12 last: its jar prints the manifest below
  SCALA_BINARY=$scala source "$here/lib.sh"
  build_jar
  uri="gs://$WAREHOUSE_BUCKET/jars/warehouse-jobs_$scala-$(sha256sum "$JAR" | cut -c1-16).jar"
  if [[ $DRY_RUN == true ]] || ! gcloud storage objects describe "$uri" >/dev/null 2>&1; then
    run_or_print gcloud storage cp "$JAR" "$uri"
  fi
  echo "Airflow Variable WAREHOUSE_JAR_SCALA_${scala/./_} = $uri"
done
java -cp "$JAR:$(cat "$SPARK_CLASSPATH_FILE")" com.acme.warehouse.jobs.Main list --json \
  > "$out/warehouse_jobs.json" 2>/dev/null
cp "$REPO/scripts/airflow/warehouse_dag.py" "$out/"
run_or_print gcloud storage cp "$out/warehouse_dag.py" "$out/warehouse_jobs.json" "$COMPOSER_BUCKET/dags/"
