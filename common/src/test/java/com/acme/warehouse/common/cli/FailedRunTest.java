package com.acme.warehouse.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobRegistry;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.ops.RunLog;
import com.acme.warehouse.common.testing.SparkTestBase;
import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * A failed run leaves nothing readable behind: an error-level check failing on what a job wrote, a
 * job that crashes after writing, and a job stopped at its time limit all put every output back to
 * its version before the run; the run log says what was rejected, and a rerun on good data goes on
 * normally.
 */
class FailedRunTest extends SparkTestBase {
  private static final TableId USERS = TableId.parse("silver.q.users");
  private static final TableId SLOW = TableId.parse("gold.q.slow");
  private String warehouse;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private Path switches;

  @BeforeEach
  void warehouse(TestInfo test) throws IOException {
    warehouse = path("warehouse-" + test.getTestMethod().orElseThrow().getName());
    // The test jobs' switches, off unless a run sets them.
    switches =
        Files.writeString(
            Path.of(warehouse + ".conf"), "q { bad-row = false, crash = false, hang = false }\n");
  }

  /** Sleeps in a Spark task: a job that hangs on the cluster. */
  private static final class Hang implements MapFunction<Long, Long> {
    private static final long serialVersionUID = 1L;

    @Override
    public Long call(Long value) throws InterruptedException {
      Thread.sleep(120_000);
      return value;
    }
  }

  private static JobRegistry registry(com.typesafe.config.Config config) {
    return new JobRegistry(
        List.of(
            // Writes users 1 and 2; with q.bad-row also a user without id; with q.crash throws
            // after.
            JobDefinition.builder("q-silver-users")
                .layer(Layer.SILVER)
                .domain("q")
                .inputs("raw.q.users")
                .outputs("silver.q.users")
                .factory(
                    (c, app) ->
                        context -> {
                          String bad = c.bool("q.bad-row") ? "{\"name\":\"no id\"}" : "{\"id\":2}";
                          df("id BIGINT, name STRING", "{\"id\":1,\"name\":\"a\"}", bad)
                              .write()
                              .format("delta")
                              .mode("overwrite")
                              .save(context.location(USERS));
                          if (c.bool("q.crash")) {
                            throw new IllegalStateException("the job fell over after writing");
                          }
                          return JobResult.builder().rowsWritten(2).build();
                        })
                .build(),
            JobDefinition.builder("q-gold-slow")
                .layer(Layer.GOLD)
                .domain("q")
                .inputs("raw.q.slow")
                .outputs("gold.q.slow")
                .factory(
                    (c, app) ->
                        context -> {
                          spark
                              .range(3)
                              .toDF("n")
                              .write()
                              .format("delta")
                              .mode("append")
                              .save(context.location(SLOW));
                          if (c.bool("q.hang")) {
                            spark.range(2).map(new Hang(), Encoders.LONG()).count();
                          }
                          return JobResult.builder().rowsWritten(3).build();
                        })
                .build(),
            // Reaches for a table it does not declare.
            JobDefinition.builder("q-gold-peek")
                .layer(Layer.GOLD)
                .domain("q")
                .inputs("raw.q.peek")
                .outputs("gold.q.peek")
                .factory(
                    (c, app) ->
                        context -> {
                          spark.read().format("delta").load(context.location(USERS)).count();
                          return JobResult.builder().build();
                        })
                .build()));
  }

  private int run(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--set";
    all[args.length + 1] = "paths.warehouse=" + warehouse;
    all[args.length + 2] = "--conf-file";
    all[args.length + 3] = switches.toString();
    return new Cli(
            "warehouse",
            FailedRunTest::registry,
            ConfigLoader.fromDirectory(Path.of("..", "conf")),
            config -> spark,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.systemUTC())
        .execute(all);
  }

  private List<Row> users() {
    return spark
        .read()
        .format("delta")
        .load(warehouse + "/silver/q/users")
        .orderBy("id")
        .collectAsList();
  }

  private long version(String table) {
    return DeltaTable.forPath(spark, warehouse + "/" + table).history(1).head().getAs("version");
  }

  private Row lastRun(String job) {
    return new RunLog(spark, warehouse + "/_ops/run_log")
        .read()
        .where("job = '" + job + "'")
        .orderBy(org.apache.spark.sql.functions.col("start_time").desc())
        .head();
  }

  private static final String CHECK =
      "quality.tables.\"silver.q.users\".checks=[{type = not_null, columns = [id], severity = error}]";

  @Test
  void aFailedErrorCheckPutsTheCheckedTableBackAndARerunOnGoodDataGoesOn() {
    assertThat(run("q-silver-users", "--set", CHECK)).as(err.toString()).isEqualTo(0);
    List<Row> good = users();
    long goodVersion = version("silver/q/users");

    assertThat(run("q-silver-users", "--set", CHECK, "--set", "q.bad-row=true"))
        .as(err::toString)
        .isEqualTo(3);

    assertThat(users()).as("readers see the rows before the failed run").isEqualTo(good);
    Row failed = lastRun("q-silver-users");
    assertThat(failed.<String>getAs("status")).isEqualTo("failed");
    assertThat(failed.<String>getAs("error")).contains("check not_null(id) failed");
    assertThat(failed.<String>getAs("details"))
        .contains(
            "\"silver.q.users\":{\"rejected_version\":" + (goodVersion + 1),
            "\"restored_version\":" + goodVersion);
    assertThat(
            spark
                .read()
                .format("delta")
                .option("versionAsOf", goodVersion + 1)
                .load(warehouse + "/silver/q/users")
                .where("id IS NULL")
                .count())
        .as("the rejected version stays in the history for inspection")
        .isEqualTo(1);

    assertThat(run("q-silver-users", "--set", CHECK)).isEqualTo(0);
    assertThat(users()).isEqualTo(good);
    assertThat(lastRun("q-silver-users").<String>getAs("status")).isEqualTo("succeeded");
  }

  @Test
  void aJobUsingATableItDoesNotDeclareFailsNamingJobAndTable() {
    assertThat(run("q-silver-users")).isEqualTo(0);

    assertThat(run("q-gold-peek")).isEqualTo(1);

    assertThat(lastRun("q-gold-peek").<String>getAs("error"))
        .contains(
            "job q-gold-peek uses silver.q.users, which is neither an input nor an output of its"
                + " definition");
  }

  @Test
  void aJobThatCrashesAfterWritingLeavesItsOutputAsItWas() {
    assertThat(run("q-silver-users")).isEqualTo(0);
    List<Row> good = users();

    assertThat(run("q-silver-users", "--set", "q.bad-row=true", "--set", "q.crash=true"))
        .isEqualTo(1);

    assertThat(users()).isEqualTo(good);
    assertThat(lastRun("q-silver-users").<String>getAs("error"))
        .contains("the job fell over after writing");
  }

  @Test
  void aJobPastItsTimeLimitIsCancelledAndItsOutputPutBack() {
    assertThat(run("q-gold-slow")).isEqualTo(0);
    long before = version("gold/q/slow");

    long started = System.nanoTime();
    int code = run("q-gold-slow", "--set", "q.hang=true", "--set", "jobs.q-gold-slow.timeout=3s");
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;

    assertThat(code).isEqualTo(1);
    assertThat(seconds).as("cancelled, not waited for (the task sleeps 120 s)").isLessThan(60);
    Row failed = lastRun("q-gold-slow");
    assertThat(failed.<String>getAs("error")).startsWith("job q-gold-slow: timed out after 3 s");
    assertThat(spark.read().format("delta").load(warehouse + "/gold/q/slow").count())
        .as("the three rows the timed-out run appended are gone")
        .isEqualTo(3);
    assertThat(version("gold/q/slow")).isEqualTo(before + 2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("timed out after 3 s");
  }

  @Test
  void aTimeLimitThatIsNotAPositiveDurationOrNamesNoJobIsAConfigError() {
    assertThat(run("q-gold-slow", "--set", "jobs.q-gold-slow.timeout=0s")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("jobs.q-gold-slow.timeout");
    assertThat(run("q-gold-slow", "--set", "jobs.q-gold-slo.timeout=3s")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("jobs.q-gold-slo: unknown key");
  }
}
