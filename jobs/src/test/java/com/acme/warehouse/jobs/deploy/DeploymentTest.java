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
import com.typesafe.config.ConfigFactory;
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

  /** The connector version the suite is tested with: what the scripts must pin. */
  private static final String CONNECTOR = connectorVersion();

  private static String connectorVersion() {
    try {
      String pom = Files.readString(REPO.resolve("pom.xml"));
      java.util.regex.Matcher version =
          java.util.regex.Pattern.compile("<bigquery-connector.version>([^<]+)<").matcher(pom);
      assertThat(version.find()).isTrue();
      return version.group(1);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

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
  void directWritesAreRefusedForPartitionedFactsNamingTheKey() {
    Config config =
        ConfigFactory.parseMap(
                Map.of(
                    "gold.sink", "bigquery",
                    "bigquery.project", "acme",
                    "bigquery.write-method", "direct"))
            .withFallback(ConfigLoader.fromClasspath().load(ConfigSources.defaults()))
            .resolve();
    ConfigReader reader = new ConfigReader(config);
    AppConfig app = AppConfig.from(reader);
    for (JobDefinition job : JobCatalog.registry(config).jobs()) {
      if (job.layer() == Layer.PUBLISH) {
        job.factory().create(reader, app);
      }
    }
    // Every partitions table (facts, daily aggregates: 8) is refused; replace tables are not.
    assertThat(reader.problems())
        .hasSize(8)
        .allSatisfy(problem -> assertThat(problem).startsWith("bigquery.write-method: direct"))
        .anySatisfy(
            problem ->
                assertThat(problem)
                    .contains("gold.tables.\"gold.agents.fact_agent_query\"")
                    .contains("use indirect"));
  }

  @Test
  void theSubmitScriptPinsRuntimeJarAndConnectorForServerlessAndCluster() throws Exception {
    Map<String, String> env =
        Map.of("GCP_PROJECT", "acme", "GCP_REGION", "europe-west1", "WAREHOUSE_BUCKET", "acme-wh");
    String serverless =
        run(
            env,
            REPO,
            "bash",
            "scripts/submit-dataproc.sh",
            "--dry-run",
            "agents-gold-facts",
            "--run-date",
            "2024-01-02");
    List<String> lines = List.of(serverless.strip().split("\n"));
    assertThat(lines)
        .contains(
            "# pins: serverless runtime 2.3 (Spark 3.5, Scala 2.13, supported until 2027-11-26),"
                + " jar warehouse-jobs_2.13, BigQuery connector "
                + CONNECTOR
                + " (dataproc.sparkBqConnector.version)");
    assertThat(lines.get(lines.size() - 1))
        .matches(
            "gcloud dataproc batches submit spark --project=acme --region=europe-west1"
                + " --version=2\\.3 --properties=dataproc\\.sparkBqConnector\\.version="
                + CONNECTOR.replace(".", "\\.")
                + " --jar=gs://acme-wh/jars/warehouse-jobs_2\\.13-[A-Za-z0-9-]+\\.jar"
                + " -- agents-gold-facts --run-date 2024-01-02 --env dataproc"
                + " --set gcp\\.project=acme --set gcp\\.region=europe-west1"
                + " --set gcp\\.bucket=acme-wh");
    assertThat(serverless).contains("# upload when missing: gcloud storage objects describe gs://");

    Map<String, String> cluster = new java.util.HashMap<>(env);
    cluster.put("DATAPROC_CLUSTER", "etl");
    String submitted =
        run(
            cluster,
            REPO,
            "bash",
            "scripts/submit-dataproc.sh",
            "--dry-run",
            "pipeline",
            "--domain",
            "agents");
    lines = List.of(submitted.strip().split("\n"));
    assertThat(lines)
        .contains(
            "# pins: cluster etl (image 2.2/2.3: Spark 3.5, Scala 2.12), jar warehouse-jobs_2.12,"
                + " BigQuery connector "
                + CONNECTOR
                + " (cluster metadata SPARK_BQ_CONNECTOR_VERSION)");
    assertThat(lines.get(lines.size() - 1))
        .matches(
            "gcloud dataproc jobs submit spark --project=acme --region=europe-west1 --cluster=etl"
                + " --jar=gs://acme-wh/jars/warehouse-jobs_2\\.12-[A-Za-z0-9-]+\\.jar"
                + " -- pipeline --domain agents --env dataproc --set gcp\\.project=acme"
                + " --set gcp\\.region=europe-west1 --set gcp\\.bucket=acme-wh");
    String created = run(cluster, REPO, "bash", "scripts/create-dataproc-cluster.sh", "--dry-run");
    assertThat(created)
        .contains("--image-version=2.3-debian12")
        .contains("--metadata=SPARK_BQ_CONNECTOR_VERSION=" + CONNECTOR);

    Map<String, String> spark4 = new java.util.HashMap<>(env);
    spark4.put("DATAPROC_RUNTIME_VERSION", "3.0");
    ProcessBuilder refused =
        new ProcessBuilder("bash", "scripts/submit-dataproc.sh", "--dry-run", "x")
            .directory(REPO.toFile())
            .redirectErrorStream(true);
    refused.environment().putAll(spark4);
    Process process = refused.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).isEqualTo(2);
    assertThat(output).contains("runtime 3.0 runs Spark 4");
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
    assertThat(output).contains("Ran 6 tests").contains("OK");
  }
}
