package com.acme.warehouse.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobRegistry;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.ops.ConfigLog;
import com.acme.warehouse.common.ops.RunLog;
import com.acme.warehouse.common.quality.DataQualityException;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The command line end to end, on a small registry of demo jobs and the shared SparkSession. */
class CliTest extends SparkTestBase {
  private static Path confDir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private String warehouse;

  @BeforeAll
  static void writeConf() throws IOException {
    // The repository's own defaults plus a section for the demo jobs.
    confDir = Files.createDirectories(tempDir.resolve("conf"));
    String base = Files.readString(Path.of("..", "conf", "application.conf"));
    Files.writeString(
        confDir.resolve("application.conf"),
        base + "\ndemo {\n  greeting = \"hello\"\n  rows = 10\n}\n");
    Path domains = Files.createDirectories(confDir.resolve("domains"));
    try (var files = Files.list(Path.of("..", "conf", "domains"))) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Files.copy(file, domains.resolve(file.getFileName().toString()));
      }
    }
  }

  /** bronze -> silver -> gold, plus two utilities. Silver fails when demo.rows is 13. */
  private static JobRegistry registry(com.typesafe.config.Config config) {
    List<JobDefinition> jobs = new ArrayList<>();
    jobs.add(
        JobDefinition.builder("demo-gold-report")
            .layer(Layer.GOLD)
            .domain("demo")
            .inputs("silver.demo.events")
            .outputs("gold.demo.report")
            .factory((c, app) -> context -> JobResult.builder().rowsRead(1).rowsWritten(1).build())
            .build());
    jobs.add(
        JobDefinition.builder("demo-bronze-events")
            .layer(Layer.BRONZE)
            .domain("demo")
            .inputs("raw.demo.events")
            .outputs("bronze.demo.events")
            .factory(
                (c, app) -> {
                  ConfigReader demo = c.at("demo");
                  String greeting = demo.nonEmptyString("greeting");
                  int rows = demo.intInRange("rows", 0, 1000);
                  return context ->
                      JobResult.builder()
                          .rowsRead(rows)
                          .rowsWritten(rows - 1)
                          .rowsQuarantined(1)
                          .watermarkBefore(context.previousWatermark().orElse(null))
                          .watermarkAfter("dt=2024-01-0" + rows % 10)
                          .detail("greeting", greeting)
                          .detail("files", List.of("a.json", "b.json"))
                          .build();
                })
            .build());
    jobs.add(
        JobDefinition.builder("demo-silver-events")
            .layer(Layer.SILVER)
            .domain("demo")
            .inputs("bronze.demo.events")
            .outputs("silver.demo.events")
            .factory(
                (c, app) -> {
                  int rows = c.at("demo").intInRange("rows", 0, 1000);
                  return context -> {
                    if (rows == 13) {
                      throw new IllegalStateException(
                          "table silver.demo.events: cannot cast user_id 'abc' (file e.json, line 3)");
                    }
                    return JobResult.builder().rowsRead(rows).rowsWritten(rows).build();
                  };
                })
            .build());
    jobs.add(
        JobDefinition.builder("check-demo")
            .layer(Layer.UTILITY)
            .factory(
                (c, app) ->
                    context -> {
                      throw new DataQualityException(
                          "table gold.demo.report: check not_null(user_id) failed: 2 rows");
                    })
            .build());
    jobs.add(
        JobDefinition.builder("greet")
            .layer(Layer.UTILITY)
            .option("--greeting", "demo.greeting", "TEXT", "what to say")
            .factory(
                (c, app) -> {
                  String greeting = c.nonEmptyString("demo.greeting");
                  return context -> JobResult.builder().detail("greeting", greeting).build();
                })
            .build());
    return new JobRegistry(jobs);
  }

  private int run(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.add("--set");
    all.add("paths.warehouse=" + warehouse);
    all.add("--set");
    all.add("paths.raw=" + path("raw"));
    return runExactly(all.toArray(new String[0]));
  }

  private int runExactly(String... args) {
    Cli cli =
        new Cli(
            "warehouse",
            CliTest::registry,
            ConfigLoader.fromDirectory(confDir),
            config -> spark,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.systemUTC());
    return cli.execute(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private List<Row> runLog() {
    return new RunLog(spark, warehouse + "/_ops/run_log")
        .read()
        .orderBy("start_time")
        .collectAsList();
  }

  private List<Row> configs() {
    return new ConfigLog(spark, warehouse + "/_ops/configs")
        .read()
        .orderBy("first_used")
        .collectAsList();
  }

  @org.junit.jupiter.api.BeforeEach
  void freshWarehouse(TestInfo test) {
    warehouse = path("warehouse-" + test.getTestMethod().orElseThrow().getName());
  }

  @Test
  void listJsonIsTheManifestInDependencyOrder() throws IOException {
    assertThat(run("list", "--json")).isEqualTo(0);

    JsonNode manifest = new ObjectMapper().readTree(out());
    assertThat(manifest.fieldNames()).toIterable().containsExactly("jobs");
    JsonNode jobs = manifest.get("jobs");
    assertThat(jobs).hasSize(5);
    assertThat(jobs.get(0).toString())
        .isEqualTo(
            "{\"name\":\"demo-bronze-events\",\"layer\":\"bronze\",\"domain\":\"demo\","
                + "\"inputs\":[\"raw.demo.events\"],\"outputs\":[\"bronze.demo.events\"]}");
    assertThat(jobs.get(1).get("name").asText()).isEqualTo("demo-silver-events");
    assertThat(jobs.get(2).get("name").asText()).isEqualTo("demo-gold-report");
    assertThat(jobs.get(3).toString())
        .isEqualTo(
            "{\"name\":\"check-demo\",\"layer\":\"utility\",\"domain\":null,"
                + "\"inputs\":[],\"outputs\":[]}");
  }

  @Test
  void listPrintsATable() {
    assertThat(run("list")).isEqualTo(0);

    String[] lines = out().split("\n");
    assertThat(lines[0]).matches("JOB\\s+LAYER\\s+DOMAIN\\s+INPUTS\\s+OUTPUTS");
    assertThat(lines[1])
        .matches("demo-bronze-events\\s+bronze\\s+demo\\s+raw.demo.events\\s+bronze.demo.events");
  }

  @Test
  void noCommandIsBadUsage() {
    assertThat(runExactly()).isEqualTo(2);
    assertThat(err()).contains("error: no command given").contains("Usage: warehouse <command>");
  }

  @Test
  void helpComesFromTheOptionsEachCommandParses() {
    assertThat(runExactly("help")).isEqualTo(0);
    assertThat(out())
        .contains("warehouse list [--json]\n      the jobs with layer, domain, inputs and outputs")
        .contains("warehouse pipeline [--domain=D] [--layer=L] [--exclude=[+]NAME[+],...]...")
        .contains("warehouse sql [--allow-writes] [--format=table|csv|json] [--limit=N] STATEMENT")
        .contains("warehouse show TABLE")
        .contains("warehouse lineage [--format=mermaid|dot|json]")
        .contains("warehouse <job-name> [job options]")
        .contains("--set KEY=VALUE --full-refresh --dry-run --run-date YYYY-MM-DD");

    assertThat(run("greet", "--help")).isEqualTo(0);
    assertThat(out())
        .contains("Usage: warehouse greet [--dry-run]")
        .contains("run the job greet [utility]")
        .containsPattern("--greeting=TEXT +what to say")
        .containsPattern("--run-date=YYYY-MM-DD\\s+the logical date of the run");
    assertThat(run("pipeline", "--help")).isEqualTo(0);
    assertThat(out()).containsPattern("--select=\\[\\+]NAME\\[\\+],\\.\\.\\.\\s+only these jobs");
  }

  @Test
  void unknownJobIsBadUsage() {
    assertThat(run("demo-platinum-events")).isEqualTo(2);
    assertThat(err())
        .contains("unknown job 'demo-platinum-events' (run 'warehouse list' to see the jobs)")
        .contains("Usage: warehouse <command>");
  }

  @Test
  void unknownOptionIsBadUsageWithTheCommandsUsageLine() {
    assertThat(run("demo-bronze-events", "--fast")).isEqualTo(2);
    assertThat(err())
        .contains("Unknown option: '--fast'")
        .contains("Usage: warehouse demo-bronze-events [--dry-run] [--full-refresh]");
  }

  @Test
  void aJobsOwnOptionIsUnknownToOtherJobs() {
    assertThat(run("demo-bronze-events", "--greeting", "hi")).isEqualTo(2);
    assertThat(err()).contains("Unknown option").contains("'--greeting'");
  }

  @Test
  void missingOptionValueIsBadUsage() {
    assertThat(runExactly("list", "--env")).isEqualTo(2);
    assertThat(err()).contains("Missing required parameter for option '--env'");
  }

  @Test
  void badPipelineSelectionIsBadUsage() {
    assertThat(run("pipeline", "--layer", "platinum")).isEqualTo(2);
    assertThat(err()).contains("--layer: unknown layer 'platinum'");
    assertThat(run("pipeline", "--domain", "shop")).isEqualTo(2);
    assertThat(err()).contains("--domain: unknown domain 'shop' (known: [demo])");
  }

  @Test
  void malformedSetIsAConfigurationError() {
    assertThat(run("list", "--set", "novalue")).isEqualTo(2);
    assertThat(err()).contains("--set novalue: expected KEY=VALUE");
  }

  private static void capturingLog(StringWriter log, Runnable action) {
    Configuration logging = ((LoggerContext) LogManager.getContext(false)).getConfiguration();
    WriterAppender capture =
        WriterAppender.newBuilder()
            .setName("capture")
            .setTarget(log)
            .setLayout(PatternLayout.newBuilder().withPattern("%m%n").build())
            .build();
    capture.start();
    logging.getRootLogger().addAppender(capture, Level.ALL, null);
    try {
      action.run();
    } finally {
      logging.getRootLogger().removeAppender("capture");
    }
  }

  @Test
  void plantedSecretsNeverReachTheOutputTheLogOrTheRunLog() {
    StringWriter log = new StringWriter();
    int[] codes = new int[2];
    StringBuilder okOut = new StringBuilder();
    // --verbose logs the effective configuration, where the masked values must appear.
    capturingLog(
        log,
        () -> {
          codes[0] =
              run(
                  "demo-bronze-events",
                  "--verbose",
                  "--set",
                  "spark.conf.spark.hadoop.fs.s3a.access.key=PLANTED-ACCESS-KEY",
                  "--set",
                  "spark.conf.spark.hadoop.fs.s3a.secret.key=PLANTED-SECRET-KEY",
                  "--set",
                  "spark.conf.spark.hadoop.javax.jdo.option.ConnectionPassword=PLANTED-PASSWORD",
                  "--set",
                  "spark.conf.spark.hadoop.javax.jdo.option.ConnectionURL="
                      + "jdbc:postgresql://etl:PLANTED-URL-PASSWORD@db:5432/metastore",
                  "--set",
                  "spark.conf.spark.hadoop.feed.url=https://feed.example/x?user=etl&token=PLANTED-TOKEN");
          okOut.append(out()).append(err());
          // A secret typed where a number is expected is reported by key, its value not echoed.
          codes[1] =
              run(
                  "demo-bronze-events",
                  "--verbose",
                  "--set",
                  "demo.rows=PLANTED-IN-ERROR",
                  "--set",
                  "spark.conf.spark.app.password=[PLANTED-BAD-PASSWORD");
        });

    assertThat(codes[0]).as(okOut.toString()).isEqualTo(0);
    assertThat(codes[1]).isEqualTo(2);
    String everything = okOut + out() + err() + log + runLog() + configs();
    assertThat(configs()).hasSize(1);
    assertThat(configs().get(0).<String>getAs("effective_config"))
        .contains("spark.conf.spark.hadoop.fs.s3a.secret.key = ********")
        .contains("jdbc:postgresql://etl:********@db:5432/metastore");
    assertThat(log.toString())
        .contains("spark.conf.spark.hadoop.fs.s3a.access.key = ********")
        .contains("jdbc:postgresql://etl:********@db:5432/metastore")
        .contains("user=etl&token=********");
    assertThat(err()).contains("spark.conf.spark.app.password: cannot parse its value (not shown");
    assertThat(everything)
        .doesNotContain("PLANTED-ACCESS-KEY")
        .doesNotContain("PLANTED-SECRET-KEY")
        .doesNotContain("PLANTED-PASSWORD")
        .doesNotContain("PLANTED-URL-PASSWORD")
        .doesNotContain("PLANTED-TOKEN")
        .doesNotContain("PLANTED-BAD-PASSWORD");
  }

  @Test
  void everyInvalidKeyOfEverySelectedJobIsReportedBeforeSparkIsTouched() {
    int code =
        run(
            "pipeline",
            "--set",
            "demo.greeting=",
            "--set",
            "demo.rows=many",
            "--set",
            "gold.sink=s3");

    assertThat(code).isEqualTo(2);
    assertThat(err())
        .contains("invalid configuration (3 problems)")
        .contains("demo.greeting: must not be empty")
        .contains("demo.rows: expected a whole number, got \"many\" (from --set demo.rows)")
        .contains("gold.sink: 's3' is not one of [bigquery, delta]");
    assertThat(Files.exists(Path.of(warehouse))).isFalse();
  }

  @Test
  void dryRunPrintsThePlanAndTouchesNothing() {
    assertThat(run("pipeline", "--dry-run", "--full-refresh")).isEqualTo(0);

    assertThat(out())
        .contains("dry run: nothing will be read or written")
        .contains("demo-bronze-events [bronze, demo] mode: full refresh")
        .contains("reads  raw.demo.events  " + path("raw") + "/demo/events")
        .contains("writes bronze.demo.events  " + warehouse + "/bronze/demo/events")
        .contains("run log: " + warehouse + "/_ops/run_log");
    assertThat(Files.exists(Path.of(warehouse))).isFalse();
  }

  @Test
  void aSuccessfulRunIsLoggedWithItsCountersAndPrintsAJsonSummary() throws IOException {
    assertThat(run("demo-bronze-events", "--log-format", "json")).isEqualTo(0);

    List<Row> log = runLog();
    assertThat(log).hasSize(1);
    Row row = log.get(0);
    assertThat(row.<String>getAs("job")).isEqualTo("demo-bronze-events");
    assertThat(row.<String>getAs("status")).isEqualTo("succeeded");
    assertThat(row.<String>getAs("layer")).isEqualTo("bronze");
    assertThat(row.<String>getAs("domain")).isEqualTo("demo");
    assertThat(row.<String>getAs("env")).isEqualTo("local");
    assertThat(row.<Long>getAs("rows_read")).isEqualTo(10L);
    assertThat(row.<Long>getAs("rows_written")).isEqualTo(9L);
    assertThat(row.<Long>getAs("rows_quarantined")).isEqualTo(1L);
    assertThat(row.<String>getAs("watermark_before")).isNull();
    assertThat(row.<String>getAs("watermark_after")).isEqualTo("dt=2024-01-00");
    assertThat(row.<String>getAs("error")).isNull();
    assertThat(row.<String>getAs("details"))
        .startsWith(
            "{\"greeting\":\"hello\",\"files\":[\"a.json\",\"b.json\"],"
                + "\"ran_because\":\"inputs cannot be fingerprinted\","
                + "\"phase_seconds\":{\"fingerprint\":")
        .containsPattern(
            "\"lease\":[0-9.]+,\"run\":[0-9.]+,\"quality\":[0-9.]+,\"fingerprint_after\":[0-9.]+},"
                + "\"lease\":\"[0-9a-f-]{36}\",\"config\":\"[0-9a-f]{64}\"}$");
    assertThat(row.<java.sql.Timestamp>getAs("end_time"))
        .isAfterOrEqualTo(row.<java.sql.Timestamp>getAs("start_time"));

    String summary = out().trim();
    assertThat(summary.lines()).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(summary);
    assertThat(json.get("run_id").asText()).isEqualTo(row.getAs("run_id"));
    assertThat(json.get("status").asText()).isEqualTo("succeeded");
    assertThat(json.get("rows_written").asLong()).isEqualTo(9L);
  }

  @Test
  void aFinishedJobIsOneLineForAPersonByDefault() {
    assertThat(run("demo-bronze-events")).isEqualTo(0);

    assertThat(out())
        .matches(
            "\\[1/1\\] demo-bronze-events  ok  [0-9]+\\.[0-9]s  9 rows \\(1 quarantined\\)\\R");
    assertThat(err()).doesNotContain("effective configuration");
  }

  @Test
  void verboseLogsTheEffectiveConfigurationAndAnUnknownLogFormatIsBadUsage() {
    // As a local run's log configuration has it: the suite's loggers at WARN.
    Configurator.setLevel("com.acme.warehouse", Level.WARN);
    StringWriter quiet = new StringWriter();
    StringWriter verbose = new StringWriter();
    capturingLog(quiet, () -> assertThat(run("pipeline", "--dry-run")).isEqualTo(0));
    capturingLog(verbose, () -> assertThat(run("pipeline", "--dry-run", "--verbose")).isEqualTo(0));

    assertThat(quiet.toString()).doesNotContain("effective configuration");
    assertThat(verbose.toString())
        .contains("effective configuration:")
        .contains("paths.warehouse = \"" + warehouse + "\"");

    assertThat(run("demo-bronze-events", "--log-format", "yaml")).isEqualTo(2);
    assertThat(err()).contains("--log-format: 'yaml' is not text or json");
  }

  @Test
  void sqlAndShowReadTablesByTheirIdsAndWritesNeedToBeAskedFor() {
    assertThat(run("demo-bronze-events")).isEqualTo(0);
    String events = warehouse + "/bronze/demo/events";
    spark
        .sql("SELECT * FROM VALUES (1L, 'a'), (2L, 'b,c') AS t(id, name)")
        .write()
        .format("delta")
        .save(events);

    out.reset();
    String select =
        "SELECT id, name, 'gold.demo.report' AS quoted FROM bronze.demo.events ORDER BY id";
    assertThat(run("sql", select)).as(err()).isEqualTo(0);
    // The name inside the string literal is data, not a table.
    assertThat(out())
        .containsPattern("(?m)^id +name +quoted *$")
        .containsPattern("(?m)^1 +a +gold.demo.report *$")
        .containsPattern("(?m)^2 +b,c +gold.demo.report *$")
        .contains("(2 rows)");

    out.reset();
    assertThat(run("sql", "SELECT name FROM bronze.demo.events ORDER BY id", "--format", "csv"))
        .isEqualTo(0);
    assertThat(out()).isEqualTo("name\na\n\"b,c\"\n");

    out.reset();
    assertThat(run("show", "bronze.demo.events")).as(err()).isEqualTo(0);
    assertThat(out())
        .contains("bronze.demo.events  " + events)
        .contains("rows 2  delta version 0")
        .contains("last run of demo-bronze-events: succeeded at ")
        .contains("9 rows written")
        .containsPattern("(?m)^id +bigint +yes *$");

    assertThat(run("sql", "DELETE FROM bronze.demo.events WHERE id = 1")).isEqualTo(2);
    assertThat(err()).contains("the statement writes or changes the warehouse; add --allow-writes");
    assertThat(spark.read().format("delta").load(events).count()).isEqualTo(2);
    assertThat(run("sql", "DELETE FROM bronze.demo.events WHERE id = 1", "--allow-writes"))
        .isEqualTo(0);
    assertThat(spark.read().format("delta").load(events).count()).isEqualTo(1);

    assertThat(run("sql", "SELECT * FROM gold.demo.nope")).isEqualTo(2);
    assertThat(err())
        .contains("unknown table 'gold.demo.nope' (known: _ops.configs, _ops.quality_results, ");
  }

  @Test
  void theNextRunStartsFromTheWatermarkTheLastSuccessfulRunReached() {
    assertThat(run("demo-bronze-events", "--set", "demo.rows=7")).isEqualTo(0);
    assertThat(run("demo-bronze-events", "--set", "demo.rows=8")).isEqualTo(0);
    assertThat(run("demo-bronze-events", "--set", "demo.rows=9", "--full-refresh")).isEqualTo(0);

    List<Row> log = runLog();
    assertThat(log)
        .extracting(r -> r.<String>getAs("watermark_before"))
        .containsExactly(null, "dt=2024-01-07", null);
    assertThat(log)
        .extracting(r -> r.<Boolean>getAs("full_refresh"))
        .containsExactly(false, false, true);
  }

  @Test
  void aFailingJobIsLoggedAsFailedAndStopsThePipeline() {
    int code = run("pipeline", "--set", "demo.rows=13");

    assertThat(code).isEqualTo(1);
    List<Row> log = runLog();
    assertThat(log)
        .extracting(r -> r.<String>getAs("job"))
        .containsExactly("demo-bronze-events", "demo-silver-events");
    Row failed = log.get(1);
    assertThat(failed.<String>getAs("status")).isEqualTo("failed");
    assertThat(failed.<String>getAs("error"))
        .isEqualTo(
            "IllegalStateException: table silver.demo.events: cannot cast user_id 'abc' (file e.json, line 3)");
    assertThat(failed.<String>getAs("pipeline_id"))
        .isEqualTo(log.get(0).getAs("pipeline_id"))
        .isNotNull();
    assertThat(err())
        .contains(
            "error: job demo-silver-events failed: IllegalStateException: table silver.demo.events");
    assertThat(out())
        .containsPattern(
            "(?m)^\\[1/3\\] demo-bronze-events  ok  [0-9.]+s  12 rows \\(1 quarantined\\)$")
        .containsPattern(
            "(?m)^\\[2/3\\] demo-silver-events  FAILED  [0-9.]+s  IllegalStateException: table"
                + " silver.demo.events: cannot cast user_id 'abc' \\(file e.json, line 3\\)$")
        .doesNotContain("[3/3]")
        .containsPattern("demo-bronze-events\\s+succeeded\\s+13\\s+12\\s+1")
        .containsPattern("demo-silver-events\\s+failed")
        .containsPattern("demo-gold-report\\s+not run")
        .containsPattern("total \\(2 runs\\)\\s+13\\s+12\\s+1");
  }

  @Test
  void aBlockingQualityFailureExitsWithThree() {
    assertThat(run("check-demo")).isEqualTo(3);

    assertThat(runLog()).extracting(r -> r.<String>getAs("status")).containsExactly("failed");
    assertThat(err()).contains("check not_null(user_id) failed");
  }

  @Test
  void aJobOptionIsAShorthandForItsConfigKey() {
    assertThat(run("greet", "--greeting", "bonjour")).isEqualTo(0);

    assertThat(runLog().get(0).<String>getAs("details"))
        .startsWith(
            "{\"greeting\":\"bonjour\",\"ran_because\":\"inputs cannot be fingerprinted\",");
  }

  @Test
  void everyRunNamesTheConfigurationItRanWithWhichIsRecordedOnce() throws IOException {
    assertThat(run("greet")).isEqualTo(0);
    assertThat(run("greet")).isEqualTo(0);
    assertThat(run("greet", "--greeting", "good morning")).isEqualTo(0);

    List<Row> configs = configs();
    assertThat(configs).hasSize(2);
    ObjectMapper json = new ObjectMapper();
    List<String> named = new ArrayList<>();
    for (Row run : runLog()) {
      named.add(json.readTree(run.<String>getAs("details")).get("config").asText());
    }
    String first = configs.get(0).getAs("config_id");
    String second = configs.get(1).getAs("config_id");
    assertThat(named).containsExactly(first, first, second);
    assertThat(configs.get(0).<String>getAs("effective_config"))
        .contains("demo.greeting = \"hello\"")
        .contains("paths.warehouse = \"" + warehouse + "\"");
    assertThat(configs.get(1).<String>getAs("effective_config"))
        .contains("demo.greeting = \"good morning\"");
    assertThat(configs).allSatisfy(c -> assertThat(c.<String>getAs("env")).isEqualTo("local"));

    assertThat(run("sql", "SELECT count(*) AS n FROM _ops.configs", "--format", "csv"))
        .isEqualTo(0);
    assertThat(out()).endsWith("n\n2\n");
  }

  @Test
  void theRunLogKeepsEveryRun() {
    assertThat(run("greet")).isEqualTo(0);
    assertThat(run("check-demo")).isEqualTo(3);

    assertThat(runLog())
        .extracting(r -> Map.entry(r.<String>getAs("job"), r.<String>getAs("status")))
        .containsExactly(Map.entry("greet", "succeeded"), Map.entry("check-demo", "failed"));
  }
}
