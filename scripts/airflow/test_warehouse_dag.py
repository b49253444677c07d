"""Loads warehouse_dag.py with the Python standard library only and checks it against the manifest
the jar printed (`list --json`, given as WAREHOUSE_MANIFEST). The stand-in `airflow` package is
strict where a real deployment would fail: DAG and operators take exactly the keyword arguments of
the real ones (apache-airflow-providers-google's DataprocCreateBatchOperator and
DataprocSubmitJobOperator, keyword-only), and the batch/job dicts are checked against the Dataproc
API v1 field names, so a wrong argument or key fails here, not in Composer.
Run by the Java suite (DeploymentTest); by hand:
WAREHOUSE_MANIFEST=m.json python3 -m unittest test_warehouse_dag.py
"""

import importlib.util
import json
import os
import re
import sys
import types
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
POM = os.path.join(HERE, "..", "..", "pom.xml")

# BaseOperator's keyword arguments (Airflow 2.x/3.x), the ones a DAG file may pass.
BASE_OPERATOR_ARGS = {
    "task_id", "owner", "email", "email_on_retry", "email_on_failure", "retries", "retry_delay",
    "retry_exponential_backoff", "max_retry_delay", "start_date", "end_date", "depends_on_past",
    "wait_for_downstream", "dag", "params", "default_args", "priority_weight", "weight_rule",
    "queue", "pool", "pool_slots", "sla", "execution_timeout", "on_execute_callback",
    "on_failure_callback", "on_success_callback", "on_retry_callback", "trigger_rule",
    "resources", "run_as_user", "task_concurrency", "max_active_tis_per_dag", "executor_config",
    "do_xcom_push", "inlets", "outlets", "task_group", "doc", "doc_md", "doc_json", "doc_yaml",
    "doc_rst", "map_index_template", "multiple_outputs",
}
DAG_ARGS = {
    "dag_id", "description", "schedule", "start_date", "end_date", "default_args", "catchup",
    "max_active_tasks", "max_active_runs", "dagrun_timeout", "tags", "params", "doc_md",
    "is_paused_upon_creation", "render_template_as_native_obj", "owner_links",
}

# Dataproc API v1 (google.cloud.dataproc_v1) field names, as the operators take them in dicts.
BATCH = {
    "": {"spark_batch", "pyspark_batch", "spark_r_batch", "spark_sql_batch", "runtime_config",
         "environment_config", "labels"},
    "spark_batch": {"main_jar_file_uri", "main_class", "args", "jar_file_uris", "file_uris",
                    "archive_uris"},
    "runtime_config": {"version", "container_image", "properties", "repository_config",
                       "autotuning_config", "cohort"},
    "environment_config": {"execution_config", "peripherals_config"},
    "environment_config.execution_config": {"service_account", "network_uri", "subnetwork_uri",
                                            "network_tags", "kms_key", "idle_ttl", "ttl",
                                            "staging_bucket", "authentication_config"},
}
JOB = {
    "": {"reference", "placement", "hadoop_job", "spark_job", "pyspark_job", "hive_job", "pig_job",
         "spark_r_job", "spark_sql_job", "presto_job", "trino_job", "flink_job", "labels",
         "scheduling", "driver_scheduling_config"},
    "placement": {"cluster_name", "cluster_labels"},
    "spark_job": {"main_jar_file_uri", "main_class", "args", "jar_file_uris", "file_uris",
                  "archive_uris", "properties", "logging_config"},
}
VARIABLES = {"GCP_PROJECT": "acme", "GCP_REGION": "europe-west1", "WAREHOUSE_BUCKET": "acme-wh",
             "WAREHOUSE_JAR_SCALA_2_12": "gs://acme-wh/jars/warehouse-jobs_2.12-1.jar",
             "WAREHOUSE_JAR_SCALA_2_13": "gs://acme-wh/jars/warehouse-jobs_2.13-1.jar"}


def check_message(message, fields, path=""):
    """Every key of a message dict is a field of the Dataproc API; nested messages too."""
    allowed = fields[path]
    for key, value in message.items():
        if key not in allowed:
            raise TypeError("%s has no field %r (Dataproc API v1)" % (path or "message", key))
        nested = (path + "." + key).lstrip(".")
        if isinstance(value, dict) and nested in fields:
            check_message(value, fields, nested)
    return message


class BaseOperator:
    created = []

    def __init__(self, *, task_id, **kwargs):
        unknown = set(kwargs) - BASE_OPERATOR_ARGS
        if unknown:
            raise TypeError("Invalid arguments were passed to %s: %s" % (type(self).__name__, sorted(unknown)))
        self.task_id = task_id
        self.downstream = set()
        BaseOperator.created.append(self)

    def __rshift__(self, other):
        self.downstream.add(other.task_id)
        return other


class DataprocCreateBatchOperator(BaseOperator):
    def __init__(self, *, region, project_id=None, batch, batch_id=None, request_id=None,
                 num_retries_if_resource_is_not_ready=0, retry=None, timeout=None, metadata=(),
                 gcp_conn_id="google_cloud_default", impersonation_chain=None, result_retry=None,
                 asynchronous=False, deferrable=False, polling_interval_seconds=5,
                 openlineage_inject_parent_job_info=False, openlineage_inject_transport_info=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.region, self.project_id, self.batch_id = region, project_id, batch_id
        self.batch = check_message(batch, BATCH)
        if batch_id is not None and not re.match(r"^[a-z0-9][a-z0-9-]{2,61}[a-z0-9]$",
                                                 re.sub(r"\{\{.*?\}\}", "x", batch_id)):
            raise ValueError("batch_id %r is not 4-63 of a-z, 0-9, -" % batch_id)


class DataprocSubmitJobOperator(BaseOperator):
    def __init__(self, *, job, region, project_id=None, request_id=None, retry=None, timeout=None,
                 metadata=(), gcp_conn_id="google_cloud_default", impersonation_chain=None,
                 asynchronous=False, deferrable=False, polling_interval_seconds=10,
                 cancel_on_kill=True, wait_timeout=None, start_from_trigger=False,
                 openlineage_inject_parent_job_info=False, openlineage_inject_transport_info=False,
                 **kwargs):
        super().__init__(**kwargs)
        self.region, self.project_id = region, project_id
        self.job = check_message(job, JOB)


class FakeDag:
    def __init__(self, **kwargs):
        unknown = set(kwargs) - DAG_ARGS
        if unknown:
            raise TypeError("DAG got unexpected arguments %s" % sorted(unknown))
        self.kwargs = kwargs

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def load_dag(manifest_path, **variables):
    """warehouse_dag.py loaded afresh with these Airflow Variables (over VARIABLES)."""
    values = dict(VARIABLES, **variables)
    airflow = types.ModuleType("airflow")
    airflow.DAG = FakeDag
    models = types.ModuleType("airflow.models")

    class Variable:
        @staticmethod
        def get(name, default_var=None):
            return values.get(name, default_var)

    models.Variable = Variable
    dataproc = types.ModuleType("airflow.providers.google.cloud.operators.dataproc")
    dataproc.DataprocSubmitJobOperator = DataprocSubmitJobOperator
    dataproc.DataprocCreateBatchOperator = DataprocCreateBatchOperator
    for name in ("airflow.providers", "airflow.providers.google", "airflow.providers.google.cloud",
                 "airflow.providers.google.cloud.operators"):
        sys.modules[name] = types.ModuleType(name)
    sys.modules.update({"airflow": airflow, "airflow.models": models,
                        "airflow.providers.google.cloud.operators.dataproc": dataproc})
    BaseOperator.created = []
    os.environ["WAREHOUSE_MANIFEST"] = manifest_path
    spec = importlib.util.spec_from_file_location("warehouse_dag", os.path.join(HERE, "warehouse_dag.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, {task.task_id: task for task in BaseOperator.created}


class DagMatchesManifest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.manifest_path = os.environ["WAREHOUSE_MANIFEST"]
        with open(cls.manifest_path, encoding="utf-8") as f:
            cls.manifest = json.load(f)
        cls.jobs = [j for j in cls.manifest["jobs"] if j["layer"] != "utility"]

    def job_edges(self):
        """Producer -> consumer job pairs, worked out here independently of the DAG file."""
        edges = set()
        for consumer in self.jobs:
            for producer in self.jobs:
                if producer is not consumer and set(producer["outputs"]) & set(consumer["inputs"]):
                    edges.add((producer["name"], consumer["name"]))
        return edges

    def test_by_default_one_task_per_domain_and_layer_runs_that_part_of_the_pipeline(self):
        module, tasks = load_dag(self.manifest_path)
        groups = {j["domain"] + "-" + j["layer"] for j in self.jobs}
        self.assertEqual(set(tasks), groups)
        self.assertLess(len(tasks), len(self.jobs) / 3, "grouping must cut the number of batches")
        args = tasks["agents-silver"].batch["spark_batch"]["args"]
        self.assertEqual(args[:5], ["pipeline", "--domain", "agents", "--layer", "silver"])
        # Every job dependency holds between groups: the producer's group runs first.
        group_of = {j["name"]: j["domain"] + "-" + j["layer"] for j in self.jobs}
        downstream = {task: tasks[task].downstream for task in tasks}

        def reaches(a, b, seen=()):
            return b in downstream[a] or any(reaches(n, b, seen + (a,)) for n in downstream[a] if n not in seen)

        for producer, consumer in self.job_edges():
            if group_of[producer] != group_of[consumer]:
                self.assertIn(group_of[consumer], downstream[group_of[producer]])
        for task in tasks:
            self.assertFalse(reaches(task, task), "group graph has a cycle through " + task)

    def test_by_job_one_task_per_scheduled_job_with_exactly_the_declared_edges(self):
        module, tasks = load_dag(self.manifest_path, WAREHOUSE_TASK_GROUPING="job")
        self.assertEqual(sorted(tasks), sorted(j["name"] for j in self.jobs))
        self.assertIn("agents-publish-agg-agent-daily-performance", tasks)
        self.assertNotIn("generate-sample-data", tasks)
        actual = {(t.task_id, d) for t in tasks.values() for d in t.downstream}
        self.assertEqual(actual, self.job_edges())
        ids = {t.batch_id for t in tasks.values()}
        self.assertEqual(len(ids), len(tasks), "batch ids must be unique per task")

    def test_serverless_batches_run_the_scala_2_13_jar_on_runtime_2_3_with_the_connector_pinned(self):
        module, tasks = load_dag(self.manifest_path, WAREHOUSE_TASK_GROUPING="job")
        self.assertEqual(module.dag.kwargs["schedule"], "@daily")
        self.assertGreaterEqual(module.dag.kwargs["default_args"]["retries"], 1)
        batch = tasks["agents-gold-facts"].batch
        self.assertEqual(batch["runtime_config"]["version"], "2.3")
        self.assertEqual(batch["spark_batch"]["main_jar_file_uri"], VARIABLES["WAREHOUSE_JAR_SCALA_2_13"])
        pom = open(POM, encoding="utf-8").read()
        pinned = re.search(r"<bigquery-connector.version>([^<]+)<", pom).group(1)
        self.assertEqual(batch["runtime_config"]["properties"], {"dataproc.sparkBqConnector.version": pinned})
        self.assertEqual(
            batch["spark_batch"]["args"],
            ["agents-gold-facts", "--env", "dataproc", "--set", "gcp.project=acme",
             "--set", "gcp.region=europe-west1", "--set", "gcp.bucket=acme-wh",
             "--run-date", "{{ ds }}"])

    def test_cluster_jobs_run_the_scala_2_12_jar(self):
        module, tasks = load_dag(self.manifest_path, DATAPROC_CLUSTER="etl")
        job = tasks["commerce-gold"].job
        self.assertEqual(job["placement"], {"cluster_name": "etl"})
        self.assertEqual(job["spark_job"]["main_jar_file_uri"], VARIABLES["WAREHOUSE_JAR_SCALA_2_12"])
        self.assertIsInstance(tasks["commerce-gold"], DataprocSubmitJobOperator)

    def test_a_runtime_this_jar_cannot_run_on_is_refused(self):
        with self.assertRaisesRegex(ValueError, "3.0 is Spark 4"):
            load_dag(self.manifest_path, DATAPROC_RUNTIME_VERSION="3.0")
        module, tasks = load_dag(self.manifest_path, DATAPROC_RUNTIME_VERSION="1.2")
        self.assertEqual(tasks["agents-silver"].batch["spark_batch"]["main_jar_file_uri"],
                         VARIABLES["WAREHOUSE_JAR_SCALA_2_12"])

    def test_the_strict_stand_in_catches_a_wrong_argument_or_field(self):
        with self.assertRaisesRegex(TypeError, "no field 'runtime'"):
            DataprocCreateBatchOperator(task_id="t", region="r", batch={"runtime": {}})
        with self.assertRaisesRegex(TypeError, "cluster"):
            DataprocSubmitJobOperator(task_id="t", region="r", cluster="c", job={})
        with self.assertRaisesRegex(TypeError, "positional"):
            DataprocSubmitJobOperator("t", job={}, region="r")


if __name__ == "__main__":
    unittest.main()
