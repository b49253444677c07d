"""Loads warehouse_dag.py with the Python standard library only (a stand-in `airflow` package
records what the DAG file creates) and checks its tasks and dependencies against the manifest
the jar printed (`list --json`), given as WAREHOUSE_MANIFEST. Run by the Java test suite
(DagManifestTest); by hand: WAREHOUSE_MANIFEST=m.json python3 -m unittest test_warehouse_dag.py
"""

import importlib.util
import json
import os
import sys
import types
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


class Task:
    created = []

    def __init__(self, task_id, **kwargs):
        self.task_id = task_id
        self.kwargs = kwargs
        self.downstream = set()
        Task.created.append(self)

    def __rshift__(self, other):
        self.downstream.add(other.task_id)
        return other


class FakeDag:
    def __init__(self, **kwargs):
        self.kwargs = kwargs

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def install_fake_airflow():
    airflow = types.ModuleType("airflow")
    airflow.DAG = FakeDag
    models = types.ModuleType("airflow.models")

    class Variable:
        @staticmethod
        def get(name, default_var=None):
            return {"GCP_PROJECT": "acme", "GCP_REGION": "europe-west1",
                    "WAREHOUSE_BUCKET": "acme-wh", "WAREHOUSE_JAR": "gs://acme-wh/jars/w.jar"}.get(
                name, default_var)

    models.Variable = Variable
    dataproc = types.ModuleType("airflow.providers.google.cloud.operators.dataproc")
    dataproc.DataprocSubmitJobOperator = type("DataprocSubmitJobOperator", (Task,), {})
    dataproc.DataprocCreateBatchOperator = type("DataprocCreateBatchOperator", (Task,), {})
    modules = {
        "airflow": airflow,
        "airflow.models": models,
        "airflow.providers": types.ModuleType("airflow.providers"),
        "airflow.providers.google": types.ModuleType("airflow.providers.google"),
        "airflow.providers.google.cloud": types.ModuleType("airflow.providers.google.cloud"),
        "airflow.providers.google.cloud.operators": types.ModuleType(
            "airflow.providers.google.cloud.operators"),
        "airflow.providers.google.cloud.operators.dataproc": dataproc,
    }
    sys.modules.update(modules)


class DagMatchesManifest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.manifest_path = os.environ["WAREHOUSE_MANIFEST"]
        with open(cls.manifest_path, encoding="utf-8") as f:
            cls.manifest = json.load(f)
        install_fake_airflow()
        Task.created = []
        spec = importlib.util.spec_from_file_location("warehouse_dag", os.path.join(HERE, "warehouse_dag.py"))
        cls.module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(cls.module)
        cls.tasks = {task.task_id: task for task in Task.created}

    def expected(self):
        """Tasks and edges worked out here from the manifest, independently of the DAG file."""
        jobs = [j for j in self.manifest["jobs"] if j["layer"] != "utility"]
        names = [j["name"] for j in jobs]
        edges = set()
        for consumer in jobs:
            for producer in jobs:
                if producer is not consumer and set(producer["outputs"]) & set(consumer["inputs"]):
                    edges.add((producer["name"], consumer["name"]))
        return names, edges

    def test_one_task_per_scheduled_job_of_the_manifest(self):
        names, _ = self.expected()
        self.assertEqual(len(Task.created), len(names), "a job got two tasks or none")
        self.assertEqual(sorted(self.tasks), sorted(names))
        self.assertIn("agents-publish-agg-agent-daily-performance", self.tasks)
        self.assertNotIn("generate-sample-data", self.tasks)

    def test_dependencies_are_exactly_the_declared_inputs_and_outputs(self):
        _, edges = self.expected()
        actual = {(t.task_id, d) for t in Task.created for d in t.downstream}
        self.assertEqual(actual, edges)
        self.assertIn(("agents-gold-facts", "agents-gold-daily-performance"), actual)

    def test_each_task_runs_its_job_on_dataproc_with_the_run_date_and_retries(self):
        dag = self.module.dag
        self.assertEqual(dag.kwargs["schedule"], "@daily")
        self.assertGreaterEqual(dag.kwargs["default_args"]["retries"], 1)
        task = self.tasks["agents-gold-facts"]
        batch = task.kwargs["batch"]["spark_batch"]
        self.assertEqual(batch["main_jar_file_uri"], "gs://acme-wh/jars/w.jar")
        self.assertEqual(
            batch["args"],
            ["agents-gold-facts", "--env", "dataproc", "--set", "gcp.project=acme",
             "--set", "gcp.region=europe-west1", "--set", "gcp.bucket=acme-wh",
             "--run-date", "{{ ds }}"])
        ids = {t.kwargs["batch_id"] for t in Task.created}
        self.assertEqual(len(ids), len(Task.created), "batch ids must be unique per job")
        for batch_id in ids:
            self.assertRegex(batch_id.split("-{{")[0], "^[a-z0-9-]{4,40}$")


if __name__ == "__main__":
    unittest.main()
