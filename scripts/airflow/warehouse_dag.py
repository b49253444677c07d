"""Airflow DAG: the warehouse suite on Dataproc, one task per job, built from the job manifest.

The tasks and their dependencies are not written here: they come from the manifest the jar
prints (`list --json`), deployed beside this file as warehouse_jobs.json (scripts/deploy-dag.sh).
A task runs one job with `--env dataproc` and the run's logical date (`--run-date {{ ds }}`); a
task depends on the jobs producing the tables it reads. Utility jobs (sample data, snapshot,
quality report) are run by hand, not scheduled.

Deployment settings come from Airflow Variables (or environment variables of the same name):
GCP_PROJECT, GCP_REGION, WAREHOUSE_BUCKET, WAREHOUSE_JAR (gs:// URI of the jar), and optionally
DATAPROC_CLUSTER (run on this cluster; unset: Dataproc Serverless), DATAPROC_SERVICE_ACCOUNT,
DATAPROC_RUNTIME_VERSION. No credentials: Composer's service account is used.
"""

import hashlib
import json
import os
import re
from datetime import datetime, timedelta

DAG_ID = "warehouse"
UTILITY = "utility"
MANIFEST = os.environ.get(
    "WAREHOUSE_MANIFEST", os.path.join(os.path.dirname(os.path.abspath(__file__)), "warehouse_jobs.json")
)


def load_manifest(path=MANIFEST):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def plan(manifest):
    """(task ids in manifest order, sorted (upstream, downstream) edges) from inputs/outputs."""
    jobs = [job for job in manifest["jobs"] if job["layer"] != UTILITY]
    producer = {}
    for job in jobs:
        for table in job["outputs"]:
            producer[table] = job["name"]
    edges = set()
    for job in jobs:
        for table in job["inputs"]:
            if table in producer and producer[table] != job["name"]:
                edges.add((producer[table], job["name"]))
    return [job["name"] for job in jobs], sorted(edges)


def setting(name, default=None):
    """An Airflow Variable, else the environment variable of the same name."""
    try:
        from airflow.models import Variable

        value = Variable.get(name, default_var=None)
    except Exception:  # no metadata database (parsing tests, local checks)
        value = None
    return value if value is not None else os.environ.get(name, default)


def job_arguments(job, settings):
    return [
        job,
        "--env",
        "dataproc",
        "--set",
        "gcp.project=" + settings["project"],
        "--set",
        "gcp.region=" + settings["region"],
        "--set",
        "gcp.bucket=" + settings["bucket"],
        "--run-date",
        "{{ ds }}",
    ]


def batch_id(job):
    """A Dataproc batch id (lower-case letters, digits, '-', at most 63) unique per run and try."""
    base = re.sub("[^a-z0-9-]", "-", job)[:32].strip("-")
    digest = hashlib.sha1(job.encode("utf-8")).hexdigest()[:6]
    return base + "-" + digest + "-{{ ds_nodash }}-{{ ti.try_number }}"


def build_dag(manifest):
    from airflow import DAG
    from airflow.providers.google.cloud.operators.dataproc import (
        DataprocCreateBatchOperator,
        DataprocSubmitJobOperator,
    )

    settings = {
        "project": setting("GCP_PROJECT", ""),
        "region": setting("GCP_REGION", ""),
        "bucket": setting("WAREHOUSE_BUCKET", ""),
        "jar": setting("WAREHOUSE_JAR", ""),
        "cluster": setting("DATAPROC_CLUSTER"),
        "service_account": setting("DATAPROC_SERVICE_ACCOUNT"),
        "runtime": setting("DATAPROC_RUNTIME_VERSION", "2.2"),
    }
    task_ids, edges = plan(manifest)
    dag = DAG(
        dag_id=DAG_ID,
        description="bronze -> silver -> gold -> BigQuery, from the job manifest",
        schedule="@daily",
        start_date=datetime(2024, 1, 1),
        catchup=False,
        max_active_runs=1,
        default_args={
            "retries": 2,
            "retry_delay": timedelta(minutes=5),
            "retry_exponential_backoff": True,
        },
        tags=["warehouse"],
    )
    tasks = {}
    with dag:
        for job in task_ids:
            arguments = job_arguments(job, settings)
            if settings["cluster"]:
                tasks[job] = DataprocSubmitJobOperator(
                    task_id=job,
                    project_id=settings["project"],
                    region=settings["region"],
                    job={
                        "placement": {"cluster_name": settings["cluster"]},
                        "spark_job": {"main_jar_file_uri": settings["jar"], "args": arguments},
                    },
                )
            else:
                environment = {}
                if settings["service_account"]:
                    environment = {"execution_config": {"service_account": settings["service_account"]}}
                tasks[job] = DataprocCreateBatchOperator(
                    task_id=job,
                    project_id=settings["project"],
                    region=settings["region"],
                    batch_id=batch_id(job),
                    batch={
                        "spark_batch": {"main_jar_file_uri": settings["jar"], "args": arguments},
                        "runtime_config": {"version": settings["runtime"]},
                        "environment_config": environment,
                    },
                )
        for upstream, downstream in edges:
            tasks[upstream] >> tasks[downstream]
    return dag


if os.path.exists(MANIFEST):
    dag = build_dag(load_manifest())
