#!/usr/bin/env bash
# Submits one job (or `pipeline ...`) of the suite to Dataproc with --env dataproc.
#
#   scripts/submit-dataproc.sh [--dry-run] <job> [job options...]
#
# Environment (required): GCP_PROJECT, GCP_REGION, WAREHOUSE_BUCKET.
# Optional:
#   DATAPROC_CLUSTER          submit to this cluster (gcloud dataproc jobs submit spark) with the
#                             Scala 2.12 jar; the cluster pins the BigQuery connector itself
#                             (scripts/create-dataproc-cluster.sh), checked before submitting.
#                             Unset: a serverless batch (gcloud dataproc batches submit spark).
#   DATAPROC_RUNTIME_VERSION  serverless runtime, default 2.3 (Spark 3.5, Scala 2.13 jar)
#   DATAPROC_SERVICE_ACCOUNT  serverless: the service account the batch runs as
#   BQ_CONNECTOR_VERSION      the spark-bigquery connector to run with; default: the version the
#                             suite is tested with (bigquery-connector.version in pom.xml)
#
# The jar goes to gs://$WAREHOUSE_BUCKET/jars/warehouse-jobs_<scala>-<sha256 prefix>.jar: uploaded
# only when no object of that content exists yet, so a job always runs the exact jar it was given.
# --dry-run prints the pins and the gcloud commands instead of running them (needs no jar, no
# network). Credentials: gcloud's own login or the environment's service account, never a key here.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

export DRY_RUN=false
if [[ "${1:-}" == "--dry-run" ]]; then
  DRY_RUN=true
  shift
fi
if [[ $# -lt 1 ]]; then
  sed -n '2,4p' "$0" >&2
  exit 2
fi
: "${GCP_PROJECT:?set GCP_PROJECT (the project to run in)}"
: "${GCP_REGION:?set GCP_REGION (e.g. europe-west1)}"
: "${WAREHOUSE_BUCKET:?set WAREHOUSE_BUCKET (raw extracts, warehouse, jars, staging)}"

connector="${BQ_CONNECTOR_VERSION:-$(sed -n 's:.*<bigquery-connector.version>\(.*\)</bigquery-connector.version>.*:\1:p' "$here/../pom.xml")}"

# Serverless runtimes that run this Spark 3.5 jar: Scala build and end of support (Google's
# runtime table). 3.0 runs Spark 4.0: it needs a Spark 4 build of the suite.
declare -A RUNTIME_SCALA=([1.2]=2.12 [2.2]=2.13 [2.3]=2.13)
declare -A RUNTIME_SUPPORTED_UNTIL=([1.2]=2026-09-30 [2.2]=2026-09-30 [2.3]=2027-11-26)
if [[ -n "${DATAPROC_CLUSTER:-}" ]]; then
  # Cluster images 2.2 and 2.3 run Spark 3.5 on Scala 2.12 and Java 11.
  export SCALA_BINARY=2.12
else
  runtime="${DATAPROC_RUNTIME_VERSION:-2.3}"
  if [[ -z "${RUNTIME_SCALA[$runtime]:-}" ]]; then
    echo "serverless runtime $runtime cannot run this jar (Spark 3.5): use 2.3 (or 1.2/2.2);" \
      "runtime 3.0 runs Spark 4 and needs a Spark 4 build" >&2
    exit 2
  fi
  if [[ "$(date -u +%F)" > "${RUNTIME_SUPPORTED_UNTIL[$runtime]}" ]]; then
    echo "warning: serverless runtime $runtime is past its support date" \
      "(${RUNTIME_SUPPORTED_UNTIL[$runtime]}); use 2.3" >&2
  fi
  export SCALA_BINARY="${RUNTIME_SCALA[$runtime]}"
fi
source "$here/lib.sh"


[[ $DRY_RUN == true ]] || build_jar
if [[ -f "$JAR" ]]; then
  jar_uri="gs://$WAREHOUSE_BUCKET/jars/warehouse-jobs_$SCALA_BINARY-$(sha256sum "$JAR" | cut -c1-16).jar"
else
  jar_uri="gs://$WAREHOUSE_BUCKET/jars/warehouse-jobs_$SCALA_BINARY-NOT-BUILT-YET.jar"
fi
if [[ $DRY_RUN == true ]]; then
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

if [[ -n "${DATAPROC_CLUSTER:-}" ]]; then
  echo "# pins: cluster $DATAPROC_CLUSTER (image 2.2/2.3: Spark 3.5, Scala 2.12)," \
    "jar warehouse-jobs_2.12, BigQuery connector $connector (cluster metadata SPARK_BQ_CONNECTOR_VERSION)"
  describe=(gcloud dataproc clusters describe "$DATAPROC_CLUSTER" --project="$GCP_PROJECT"
    --region="$GCP_REGION" --format='value(config.gceClusterConfig.metadata.SPARK_BQ_CONNECTOR_VERSION)')
  if [[ $DRY_RUN == true ]]; then
    echo "# check the cluster's connector: $(printf '%q ' "${describe[@]}")"
  else
    actual="$("${describe[@]}")"
    if [[ "$actual" != "$connector" ]]; then
      echo "cluster $DATAPROC_CLUSTER runs BigQuery connector '${actual:-its image default}'," \
        "the suite is tested with $connector: recreate it with scripts/create-dataproc-cluster.sh" \
        "(or set BQ_CONNECTOR_VERSION=$actual to accept it)" >&2
      exit 2
    fi
  fi
  run_or_print gcloud dataproc jobs submit spark \
    --project="$GCP_PROJECT" --region="$GCP_REGION" --cluster="$DATAPROC_CLUSTER" \
    --jar="$jar_uri" \
    -- "${job_args[@]}"
else
  echo "# pins: serverless runtime $runtime (Spark 3.5, Scala $SCALA_BINARY, supported until" \
    "${RUNTIME_SUPPORTED_UNTIL[$runtime]}), jar warehouse-jobs_$SCALA_BINARY, BigQuery connector" \
    "$connector (dataproc.sparkBqConnector.version)"
  extra=()
  [[ -n "${DATAPROC_SERVICE_ACCOUNT:-}" ]] && extra+=("--service-account=$DATAPROC_SERVICE_ACCOUNT")
  run_or_print gcloud dataproc batches submit spark \
    --project="$GCP_PROJECT" --region="$GCP_REGION" \
    --version="$runtime" \
    --properties="dataproc.sparkBqConnector.version=$connector" \
    "${extra[@]}" \
    --jar="$jar_uri" \
    -- "${job_args[@]}"
fi
