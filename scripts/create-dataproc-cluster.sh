#!/usr/bin/env bash
# Creates the Dataproc cluster the suite runs on when DATAPROC_CLUSTER is used (instead of
# serverless batches): image 2.3 (Spark 3.5, Scala 2.12, Java 11; runs warehouse-jobs_2.12.jar)
# with the spark-bigquery connector pinned to the version the suite is tested with. The image's
# built-in connector wins over --jars, so the pin is cluster metadata, set at creation only.
#
#   DATAPROC_CLUSTER=etl scripts/create-dataproc-cluster.sh [--dry-run]
#
# Environment: GCP_PROJECT, GCP_REGION, DATAPROC_CLUSTER (required); DATAPROC_IMAGE_VERSION
# (default 2.3-debian12), DATAPROC_WORKERS (default 2), DATAPROC_MACHINE_TYPE (default
# n2-standard-4), DATAPROC_SERVICE_ACCOUNT, BQ_CONNECTOR_VERSION (default: pom.xml's).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
: "${GCP_PROJECT:?set GCP_PROJECT}"
: "${GCP_REGION:?set GCP_REGION}"
: "${DATAPROC_CLUSTER:?set DATAPROC_CLUSTER (its name)}"
connector="${BQ_CONNECTOR_VERSION:-$(sed -n 's:.*<bigquery-connector.version>\(.*\)</bigquery-connector.version>.*:\1:p' "$here/../pom.xml")}"
image="${DATAPROC_IMAGE_VERSION:-2.3-debian12}"
case "$image" in
  2.2*|2.3*) ;;
  *) echo "image $image: the jar needs Spark 3.5 on Scala 2.12, i.e. image 2.2 or 2.3" >&2; exit 2 ;;
esac
command=(gcloud dataproc clusters create "$DATAPROC_CLUSTER"
  --project="$GCP_PROJECT" --region="$GCP_REGION"
  --image-version="$image"
  --metadata="SPARK_BQ_CONNECTOR_VERSION=$connector"
  --num-workers="${DATAPROC_WORKERS:-2}"
  --master-machine-type="${DATAPROC_MACHINE_TYPE:-n2-standard-4}"
  --worker-machine-type="${DATAPROC_MACHINE_TYPE:-n2-standard-4}"
  --enable-component-gateway)
[[ -n "${DATAPROC_SERVICE_ACCOUNT:-}" ]] && command+=(--service-account="$DATAPROC_SERVICE_ACCOUNT")
if [[ "${1:-}" == "--dry-run" ]]; then
  printf '%q ' "${command[@]}" | sed 's/ $//'
  echo
else
  "${command[@]}"
fi
