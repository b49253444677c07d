"""Airflow DAG: the warehouse suite on Dataproc, built from the job manifest.

The tasks and their dependencies are not written here: they come from the manifest the jar
prints (`list --json`), deployed beside this file as warehouse_jobs.json (scripts/deploy-dag.sh).
Utility jobs (sample data, snapshot, quality report) are run by hand, not scheduled.

Grouping (Airflow Variable WAREHOUSE_TASK_GROUPING):
- "domain-layer" (default): one task per domain and layer (agents-bronze, agents-silver, ...),
  each running `pipeline --domain D --layer L` in one Spark application, so a daily run starts
  about a dozen Dataproc batches instead of one per job; a group waits for the groups producing
  its inputs.
- "job": one task per job, each its own batch; a failed job is retried alone.
Either way a task runs with `--env dataproc` and the run's logical date (`--run-date {{ ds }}`).

Where it runs (Airflow Variables, or environment variables of the same name): GCP_PROJECT,
GCP_REGION, WAREHOUSE_BUCKET, and
- serverless (default): WAREHOUSE_JAR_SCALA_2_13 (gs:// URI of warehouse-jobs_2.13.jar) on
  runtime DATAPROC_RUNTIME_VERSION (default 2.3), the BigQuery connector pinned to
  BQ_CONNECTOR_VERSION (default below) through the batch property dataproc.sparkBqConnector.version;
  DATAPROC_SERVICE_ACCOUNT optional;
- cluster (DATAPROC_CLUSTER set): WAREHOUSE_JAR_SCALA_2_12 (warehouse-jobs_2.12.jar); the cluster
  pins the connector itself (metadata SPARK_BQ_CONNECTOR_VERSION, scripts/create-dataproc-cluster.sh).
No credentials: Composer's service account is used.
"""

import hashlib
import json
import os
import re
from datetime import datetime, timedelta

DAG_ID = "warehouse"
UTILITY = "utility"
# Kept equal to bigquery-connector.version in pom.xml by the suite's DeploymentTest.
BQ_CONNECTOR_VERSION = "0.42.1"
DEFAULT_RUNTIME = "2.3"
# Serverless runtimes this jar runs on, and the Scala build each needs (Spark 3.5 only).
RUNTIME_SCALA = {"1.2": "2.12", "2.2": "2.13", "2.3": "2.13"}
GROUPINGS = ("domain-layer", "job")
MANIFEST = os.environ.get(
    "WAREHOUSE_MANIFEST", os.path.join(os.path.dirname(os.path.abspath(__file__)), "warehouse_jobs.json")
)


def load_manifest(path=MANIFEST):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def plan(manifest, grouping="job"):
    """(tasks, sorted (upstream, downstream) edges): a task is (id, [pipeline arguments])."""
    if grouping not in GROUPINGS:
        raise ValueError("WAREHOUSE_TASK_GROUPING must be one of %s, not %r" % (GROUPINGS, grouping))
    jobs = [job for job in manifest["jobs"] if job["layer"] != UTILITY]
    if grouping == "job":
        task_of = {job["name"]: job["name"] for job in jobs}
        tasks = [(job["name"], [job["name"]]) for job in jobs]
    else:
        task_of, tasks = {}, []
        for job in jobs:
            group = job["domain"] + "-" + job["layer"]
            if group not in [task for task, _ in tasks]:
                tasks.append((group, ["pipeline", "--domain", job["domain"], "--layer", job["layer"]]))
            task_of[job["name"]] = group
    producer = {}
    for job in jobs:
        for table in job["outputs"]:
            producer[table] = task_of[job["name"]]
    edges = set()
    for job in jobs:
        for table in job["inputs"]:
            upstream = producer.get(table)
            if upstream is not None and upstream != task_of[job["name"]]:
                edges.add((upstream, task_of[job["name"]]))
    return tasks, sorted(edges)


def setting(name, default=None):
    """An Airflow Variable, else the environment variable of the same name."""
    try:
        from airflow.models import Variable

        value = Variable.get(name, default_var=None)
    except Exception:  # no metadata database (parsing tests, local checks)
        value = None
    return value if value is not None else os.environ.get(name, default)


def job_arguments(command, settings):
    return command + [
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


def batch_id(task):
    """A Dataproc batch id (4-63 of a-z, 0-9, '-') unique per task, run and try."""
    base = re.sub("[^a-z0-9-]", "-", task)[:32].strip("-")
    digest = hashlib.sha1(task.encode("utf-8")).hexdigest()[:6]
    return base + "-" + digest + "-{{ ds_nodash }}-{{ ti.try_number }}"


def serverless_batch(arguments, settings):
    """A Dataproc Batch (API v1 field names) for the serverless runtime."""
    runtime = settings["runtime"]
    if runtime not in RUNTIME_SCALA:
        raise ValueError(
            "DATAPROC_RUNTIME_VERSION %r does not run this Spark 3.5 jar (runtimes: %s; 3.0 is Spark 4)"
            % (runtime, ", ".join(sorted(RUNTIME_SCALA)))
        )
    batch = {
        "spark_batch": {"main_jar_file_uri": settings["jar_" + RUNTIME_SCALA[runtime]], "args": arguments},
        "runtime_config": {
            "version": runtime,
            "properties": {"dataproc.sparkBqConnector.version": settings["connector"]},
        },
    }
    if settings["service_account"]:
        batch["environment_config"] = {"execution_config": {"service_account": settings["service_account"]}}
    return batch


def cluster_job(arguments, settings):
    """A Dataproc Job (API v1 field names) for a cluster (images 2.2/2.3: the Scala 2.12 jar)."""
    return {
        "placement": {"cluster_name": settings["cluster"]},
        "spark_job": {"main_jar_file_uri": settings["jar_2.12"], "args": arguments},
    }


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
        "jar_2.12": setting("WAREHOUSE_JAR_SCALA_2_12", ""),
        "jar_2.13": setting("WAREHOUSE_JAR_SCALA_2_13", ""),
        "cluster": setting("DATAPROC_CLUSTER"),
        "service_account": setting("DATAPROC_SERVICE_ACCOUNT"),
        "runtime": setting("DATAPROC_RUNTIME_VERSION", DEFAULT_RUNTIME),
        "connector": setting("BQ_CONNECTOR_VERSION", BQ_CONNECTOR_VERSION),
    }
    tasks, edges = plan(manifest, setting("WAREHOUSE_TASK_GROUPING", "domain-layer"))
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
    operators = {}
    with dag:
        for task, command in tasks:
            arguments = job_arguments(command, settings)
            if settings["cluster"]:
                operators[task] = DataprocSubmitJobOperator(
                    task_id=task,
                    project_id=settings["project"],
                    region=settings["region"],
                    job=cluster_job(arguments, settings),
                )
            else:
                operators[task] = DataprocCreateBatchOperator(
                    task_id=task,
                    project_id=settings["project"],
                    region=settings["region"],
                    batch_id=batch_id(task),
                    batch=serverless_batch(arguments, settings),
                )
        for upstream, downstream in edges:
            operators[upstream] >> operators[downstream]
    return dag


if os.path.exists(MANIFEST):
    dag = build_dag(load_manifest())
