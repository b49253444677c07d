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
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Runs started together: two runs of the same job — exactly one writes, the other fails at once
 * naming the run that holds the job's tables (without the lease, both blind appends below would
 * land); two different jobs — both write, and both reach the run log; a killed run's lease blocks a
 * rerun until it expires, then is taken over.
 */
class ConcurrentRunTest extends SparkTestBase {
  private String warehouse;

  @BeforeEach
  void warehouse(TestInfo test) {
    warehouse = path("warehouse-" + test.getTestMethod().orElseThrow().getName());
  }

  /** Two jobs that append three rows to their own table after two seconds of work. */
  private static JobRegistry registry(com.typesafe.config.Config config) {
    List<JobDefinition> jobs = new ArrayList<>();
    for (String name : List.of("a", "b")) {
      TableId table = TableId.parse("gold.c." + name);
      jobs.add(
          JobDefinition.builder("c-gold-" + name)
              .layer(Layer.GOLD)
              .domain("c")
              .inputs("raw.c." + name)
              .outputs(table.toString())
              .factory(
                  (c, app) ->
                      context -> {
                        Thread.sleep(2000);
                        spark
                            .range(3)
                            .toDF("n")
                            .write()
                            .format("delta")
                            .mode("append")
                            .save(context.location(table));
                        return JobResult.builder().rowsWritten(3).build();
                      })
              .build());
    }
    return new JobRegistry(jobs);
  }

  /** One command line run: its exit code and what it printed to stderr. */
  private Callable<String> run(CountDownLatch start, String job) {
    return () -> {
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      start.await();
      int code =
          new Cli(
                  "warehouse",
                  ConcurrentRunTest::registry,
                  ConfigLoader.fromDirectory(Path.of("..", "conf")),
                  config -> spark,
                  new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                  new PrintStream(err, true, StandardCharsets.UTF_8),
                  Clock.systemUTC())
              .execute(job, "--set", "paths.warehouse=" + warehouse);
      return code + " " + err.toString(StandardCharsets.UTF_8);
    };
  }

  private List<String> together(String... jobs) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(jobs.length);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (String job : jobs) {
        results.add(pool.submit(run(start, job)));
      }
      start.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> result : results) {
        outcomes.add(result.get());
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  private List<Row> runLog() {
    return new RunLog(spark, warehouse + "/_ops/run_log").read().orderBy("status").collectAsList();
  }

  private long rows(String table) {
    return spark.read().format("delta").load(warehouse + "/gold/c/" + table).count();
  }

  private long leases() {
    return spark.read().format("delta").load(warehouse + "/_ops/job_leases").count();
  }

  /**
   * Writes a lease another run holds on a job (since 2026-01-01, until 2999) into a new lease
   * table; returns its location.
   */
  private String leaseLeftBy(String job, String run, String holder) {
    String leases = warehouse + "/_ops/job_leases";
    df(
            "job STRING, run_id STRING, holder STRING, acquired_at TIMESTAMP,"
                + " expires_at TIMESTAMP",
            String.format(
                "{\"job\":\"%s\",\"run_id\":\"%s\",\"holder\":\"%s\",\"acquired_at\":"
                    + "\"2026-01-01T00:00:00Z\",\"expires_at\":\"2999-01-01T00:00:00Z\"}",
                job, run, holder))
        .write()
        .format("delta")
        .partitionBy("job")
        .save(leases);
    return leases;
  }

  @Test
  void ofTwoRunsOfOneJobStartedTogetherExactlyOneWrites() throws Exception {
    List<String> outcomes = together("c-gold-a", "c-gold-a");

    assertThat(outcomes).filteredOn(o -> o.startsWith("0 ")).hasSize(1);
    String failed = outcomes.stream().filter(o -> o.startsWith("1 ")).findFirst().orElseThrow();
    assertThat(failed).contains("job c-gold-a: another run holds its tables (run ");
    assertThat(rows("a")).isEqualTo(3);
    assertThat(DeltaTable.forPath(spark, warehouse + "/gold/c/a").history().count()).isEqualTo(1);
    List<Row> log = runLog();
    assertThat(log)
        .extracting(r -> r.<String>getAs("status"))
        .containsExactly("failed", "succeeded");
    String winner =
        log.get(1).<String>getAs("details").replaceAll(".*\"lease\":\"([0-9a-f-]+)\".*", "$1");
    assertThat(log.get(0).<String>getAs("error"))
        .startsWith("job c-gold-a: another run holds its tables (run " + winner + " on ")
        .contains("nothing was read or written");
    assertThat(leases()).isZero();
  }

  @Test
  void twoDifferentJobsStartedTogetherBothWriteAndBothAreLogged() throws Exception {
    List<String> outcomes = together("c-gold-a", "c-gold-b");

    assertThat(outcomes).allSatisfy(o -> assertThat(o).startsWith("0 "));
    assertThat(rows("a")).isEqualTo(3);
    assertThat(rows("b")).isEqualTo(3);
    assertThat(runLog())
        .extracting(r -> r.<String>getAs("job") + " " + r.<String>getAs("status"))
        .containsExactlyInAnyOrder("c-gold-a succeeded", "c-gold-b succeeded");
    assertThat(leases()).isZero();
  }

  @Test
  void aKilledRunsLeaseBlocksARerunUntilItExpiresThenIsTakenOver() throws Exception {
    // What a run killed with SIGKILL leaves: its lease, still valid for a while.
    String leases = leaseLeftBy("c-gold-a", "killed-run", "host-1 pid 7");

    String blocked = together("c-gold-a").get(0);
    assertThat(blocked)
        .startsWith("1 ")
        .contains(
            "job c-gold-a: another run holds its tables (run killed-run on host-1 pid 7 since"
                + " 2026-01-01T00:00:00Z); nothing was read or written. If that run is dead, its"
                + " lease expires at 2999-01-01T00:00:00Z (jobs.lease-ttl)");
    assertThat(Path.of(warehouse, "gold", "c", "a")).doesNotExist();

    DeltaTable.forPath(spark, leases)
        .updateExpr(java.util.Map.of("expires_at", "timestamp'2026-01-01 00:02:00Z'"));
    assertThat(together("c-gold-a").get(0)).startsWith("0 ");
    assertThat(rows("a")).isEqualTo(3);
    assertThat(leases()).isZero();
  }

  @Test
  void aPipelineThatSharesAJobWithARunningCommandStartsNothing() throws Exception {
    String leases = leaseLeftBy("c-gold-b", "other", "host-2 pid 9");

    String outcome = together("pipeline").get(0);

    assertThat(outcome)
        .startsWith("1 ")
        .contains("job c-gold-b: another run holds its tables (run other on host-2 pid 9");
    assertThat(Path.of(warehouse, "gold", "c", "a")).doesNotExist();
    assertThat(Path.of(warehouse, "gold", "c", "b")).doesNotExist();
    // Nothing of the refused command stays behind: only the other run's lease.
    assertThat(spark.read().format("delta").load(leases).collectAsList())
        .extracting(r -> r.<String>getAs("run_id"))
        .containsExactly("other");
  }
}
