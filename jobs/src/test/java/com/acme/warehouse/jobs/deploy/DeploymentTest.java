package com.acme.warehouse.jobs.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.config.ConfigSources;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobRegistry;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.JobCatalog;
import com.acme.warehouse.jobs.testing.JobsCli;
import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The production path, checked without a cloud: every gold table has its publish step and a
 * BigQuery spec; the Dataproc submit script's command; the Airflow DAG against the jar's manifest.
 */
class DeploymentTest extends SparkTestBase {
  private static final Path REPO = Paths.get("..").toAbsolutePath().normalize();

  private static String run(Map<String, String> env, Path dir, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }

  @Test
  void everyGoldTableHasAPublishStepWithAValidBigQuerySpec() {
    Config config = ConfigLoader.fromClasspath().load(ConfigSources.defaults());
    ConfigReader reader = new ConfigReader(config);
    JobRegistry registry = JobCatalog.registry(config);
    Set<TableId> gold = new TreeSet<>(java.util.Comparator.comparing(TableId::toString));
    Set<TableId> published = new TreeSet<>(java.util.Comparator.comparing(TableId::toString));
    for (JobDefinition job : registry.jobs()) {
      if (job.layer() == Layer.GOLD) {
        gold.addAll(job.outputs());
      }
      if (job.layer() == Layer.PUBLISH) {
        published.addAll(job.inputs());
        job.factory().create(reader, AppConfig.from(reader));
      }
    }
    assertThat(reader.problems()).isEmpty();
    assertThat(published).isEqualTo(gold).hasSize(24);
  }

  @Test
  void theSubmitScriptPrintsTheGcloudCommandInDryRun() throws Exception {
    String serverless =
        run(
            Map.of(
                "GCP_PROJECT", "acme", "GCP_REGION", "europe-west1", "WAREHOUSE_BUCKET", "acme-wh"),
            REPO,
            "bash",
            "scripts/submit-dataproc.sh",
            "--dry-run",
            "agents-gold-facts",
            "--run-date",
            "2024-01-02");
    List<String> lines = List.of(serverless.strip().split("\n"));
    assertThat(lines.get(lines.size() - 1))
        .matches(
            "gcloud dataproc batches submit spark --project=acme --region=europe-west1"
                + " --version=2\\.2 --jar=gs://acme-wh/jars/warehouse-jobs-[A-Za-z0-9-]+\\.jar"
                + " -- agents-gold-facts --run-date 2024-01-02 --env dataproc"
                + " --set gcp\\.project=acme --set gcp\\.region=europe-west1"
                + " --set gcp\\.bucket=acme-wh");
    assertThat(serverless).contains("# upload when missing: gcloud storage objects describe gs://");

    String cluster =
        run(
            Map.of(
                "GCP_PROJECT", "acme",
                "GCP_REGION", "europe-west1",
                "WAREHOUSE_BUCKET", "acme-wh",
                "DATAPROC_CLUSTER", "etl",
                "BQ_CONNECTOR_JAR", "gs://spark-lib/bigquery/spark-3.5-bigquery-0.42.1.jar"),
            REPO,
            "bash",
            "scripts/submit-dataproc.sh",
            "--dry-run",
            "pipeline",
            "--domain",
            "agents");
    lines = List.of(cluster.strip().split("\n"));
    assertThat(lines.get(lines.size() - 1))
        .matches(
            "gcloud dataproc jobs submit spark --project=acme --region=europe-west1 --cluster=etl"
                + " --jar=gs://acme-wh/jars/warehouse-jobs-[A-Za-z0-9-]+\\.jar"
                + " --jars=gs://spark-lib/bigquery/spark-3\\.5-bigquery-0\\.42\\.1\\.jar"
                + " -- pipeline --domain agents --env dataproc --set gcp\\.project=acme"
                + " --set gcp\\.region=europe-west1 --set gcp\\.bucket=acme-wh");
  }

  @Test
  void theAirflowDagHasExactlyTheManifestsTasksAndEdges() throws Exception {
    JobsCli cli = new JobsCli(spark, path("raw"), path("warehouse"));
    assertThat(cli.run("list", "--json")).as(cli.err()).isZero();
    Path manifest = tempDir.resolve("warehouse_jobs.json");
    Files.writeString(manifest, cli.out());
    List<String> command = new ArrayList<>(List.of("python3", "-B", "-m", "unittest", "-v"));
    command.add("test_warehouse_dag.py");
    String output =
        run(
            Map.of("WAREHOUSE_MANIFEST", manifest.toString()),
            REPO.resolve("scripts/airflow"),
            command.toArray(new String[0]));
    assertThat(output).contains("Ran 3 tests").contains("OK");
  }
}
