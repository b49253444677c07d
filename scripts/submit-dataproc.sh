#!/usr/bin/env bash
# Submits one job (or `pipeline ...`) of the suite to Dataproc with --env dataproc.
#
#   scripts/submit-dataproc.sh [--dry-run] <job> [job options...]
#
# Environment (required): GCP_PROJECT, GCP_REGION, WAREHOUSE_BUCKET.
# Optional:
#   DATAPROC_CLUSTER          submit to this cluster (gcloud dataproc jobs submit spark);
#                             unset: Dataproc Serverless (gcloud dataproc batches submit spark)
#   DATAPROC_RUNTIME_VERSION  serverless runtime (default 2.2: Spark 3.5, BigQuery connector)
#   DATAPROC_SERVICE_ACCOUNT  serverless: the service account the batch runs as
#   BQ_CONNECTOR_JAR          gs:// URI of a spark-bigquery connector, when the image has none
#
# The jar goes to gs://$WAREHOUSE_BUCKET/jars/warehouse-jobs-<sha256 prefix>.jar: uploaded only
# when no object of that content exists yet, so a job always runs the exact jar it was given.
# --dry-run prints the gcloud commands instead of running them (and needs no jar or network).
# Credentials: gcloud's own login or the environment's service account, never a key here.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

dry_run=false
if [[ "${1:-}" == "--dry-run" ]]; then
  dry_run=true
  shift
fi
if [[ $# -lt 1 ]]; then
  sed -n '2,4p' "$0" >&2
  exit 2
fi
: "${GCP_PROJECT:?set GCP_PROJECT (the project to run in)}"
: "${GCP_REGION:?set GCP_REGION (e.g. europe-west1)}"
: "${WAREHOUSE_BUCKET:?set WAREHOUSE_BUCKET (raw extracts, warehouse, jars, staging)}"

run() {
  if $dry_run; then
    printf '%q ' "$@" | sed 's/ $//'
    echo
  else
    "$@"
  fi
}

$dry_run || build_jar
if [[ -f "$JAR" ]]; then
  jar_uri="gs://$WAREHOUSE_BUCKET/jars/warehouse-jobs-$(sha256sum "$JAR" | cut -c1-16).jar"
else
  jar_uri="gs://$WAREHOUSE_BUCKET/jars/warehouse-jobs-NOT-BUILT-YET.jar"
fi
if $dry_run; then
  echo "# upload when missing: gcloud storage objects describe $jar_uri || \\"
  echo "#   gcloud storage cp $JAR $jar_uri"
elif ! gcloud storage objects describe "$jar_uri" --project="$GCP_PROJECT" >/dev/null 2>&1; then
  gcloud storage cp "$JAR" "$jar_uri" --project="$GCP_PROJECT"
fi

# The job's arguments: its name and options, the environment, and where it is deployed (the
# driver has no GCP_* variables of its own).
job_args=(
  "$@"
  --env dataproc
  --set "gcp.project=$GCP_PROJECT"
  --set "gcp.region=$GCP_REGION"
  --set "gcp.bucket=$WAREHOUSE_BUCKET"
)
extra=()
[[ -n "${BQ_CONNECTOR_JAR:-}" ]] && extra+=("--jars=$BQ_CONNECTOR_JAR")

if [[ -n "${DATAPROC_CLUSTER:-}" ]]; then
  run gcloud dataproc jobs submit spark \
    --project="$GCP_PROJECT" --region="$GCP_REGION" --cluster="$DATAPROC_CLUSTER" \
    --jar="$jar_uri" "${extra[@]}" \
    -- "${job_args[@]}"
else
  [[ -n "${DATAPROC_SERVICE_ACCOUNT:-}" ]] && extra+=("--service-account=$DATAPROC_SERVICE_ACCOUNT")
  run gcloud dataproc batches submit spark \
    --project="$GCP_PROJECT" --region="$GCP_REGION" \
    --version="${DATAPROC_RUNTIME_VERSION:-2.2}" \
    --jar="$jar_uri" "${extra[@]}" \
    -- "${job_args[@]}"
fi
