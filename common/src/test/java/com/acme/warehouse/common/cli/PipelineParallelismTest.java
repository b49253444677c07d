package com.acme.warehouse.common.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobRegistry;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.testing.SparkTestBase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.junit.jupiter.api.Test;

/**
 * {@code pipeline} runs independent jobs at the same time and a job only after its producers: two
 * bronze jobs meet at a barrier (which only works if both run at once), and the silver job that
 * reads both checks that both had finished. Jobs running at once share the cores by turns (each is
 * a scheduler pool; the tests' session is FAIR, as conf/application.conf is).
 */
class PipelineParallelismTest extends SparkTestBase {
  private static final AtomicInteger FINISHED = new AtomicInteger();
  private static final int BIG_TASKS = 40;
  private static final AtomicInteger BIG_TASKS_DONE = new AtomicInteger();
  private static volatile CountDownLatch bigStarted;
  private static volatile int bigTasksDoneWhenSmallFinished;
  private static volatile CyclicBarrier barrier;
  private static volatile int finishedWhenSilverStarted;

  private static JobRegistry registry(com.typesafe.config.Config config) {
    return new JobRegistry(
        List.of(
            meetAtBarrier("p-bronze-x", "raw.p.x", "bronze.p.x"),
            meetAtBarrier("p-bronze-y", "raw.p.y", "bronze.p.y"),
            JobDefinition.builder("p-silver-z")
                .layer(Layer.SILVER)
                .domain("p")
                .inputs("bronze.p.x", "bronze.p.y")
                .outputs("silver.p.z")
                .factory(
                    (c, app) ->
                        context -> {
                          finishedWhenSilverStarted = FINISHED.get();
                          return JobResult.empty();
                        })
                .build()));
  }

  private static JobDefinition meetAtBarrier(String name, String input, String output) {
    return JobDefinition.builder(name)
        .layer(Layer.BRONZE)
        .domain("p")
        .inputs(input)
        .outputs(output)
        .factory(
            (c, app) ->
                context -> {
                  barrier.await(10, TimeUnit.SECONDS);
                  FINISHED.incrementAndGet();
                  return JobResult.empty();
                })
        .build();
  }

  /**
   * A job with one Spark stage of many slow tasks, and beside it a job whose one-task Spark job is
   * submitted once the big stage runs.
   */
  private static JobRegistry bigAndSmall(com.typesafe.config.Config config) {
    return new JobRegistry(
        List.of(
            JobDefinition.builder("p-big")
                .layer(Layer.BRONZE)
                .domain("p")
                .inputs("raw.p.big")
                .outputs("bronze.p.big")
                .factory(
                    (c, app) ->
                        context -> {
                          context
                              .spark()
                              .range(0, BIG_TASKS, 1, BIG_TASKS)
                              .map(
                                  (MapFunction<Long, Long>)
                                      id -> {
                                        bigStarted.countDown();
                                        Thread.sleep(200);
                                        BIG_TASKS_DONE.incrementAndGet();
                                        return id;
                                      },
                                  Encoders.LONG())
                              .count();
                          return JobResult.empty();
                        })
                .build(),
            JobDefinition.builder("p-small")
                .layer(Layer.BRONZE)
                .domain("p")
                .inputs("raw.p.small")
                .outputs("bronze.p.small")
                .factory(
                    (c, app) ->
                        context -> {
                          bigStarted.await(10, TimeUnit.SECONDS);
                          context.spark().range(0, 1, 1, 1).count();
                          bigTasksDoneWhenSmallFinished = BIG_TASKS_DONE.get();
                          return JobResult.empty();
                        })
                .build()));
  }

  private int pipeline(int parallelism, ByteArrayOutputStream out) {
    return pipeline(parallelism, out, PipelineParallelismTest::registry);
  }

  private int pipeline(int parallelism, ByteArrayOutputStream out, Cli.RegistryFactory registry) {
    barrier = new CyclicBarrier(2);
    FINISHED.set(0);
    finishedWhenSilverStarted = -1;
    return new Cli(
            "warehouse",
            registry,
            ConfigLoader.fromDirectory(Path.of("..", "conf")),
            config -> spark,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            Clock.systemUTC())
        .execute(
            "pipeline",
            "--set",
            "pipeline.max-parallel-jobs=" + parallelism,
            "--set",
            "paths.warehouse=" + path("warehouse-" + parallelism + "-" + UUID.randomUUID()));
  }

  @Test
  void independentJobsRunAtOnceAndADependentJobWaitsForAllItsProducers() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    assertThat(pipeline(2, out)).isEqualTo(0);

    assertThat(finishedWhenSilverStarted).isEqualTo(2);
    String printed = out.toString(StandardCharsets.UTF_8);
    String summary = printed.substring(printed.indexOf("JOB "));
    // The summary lists jobs in dependency order, whatever order they finished in.
    assertThat(summary.indexOf("p-bronze-x")).isLessThan(summary.indexOf("p-bronze-y"));
    assertThat(summary.indexOf("p-bronze-y")).isLessThan(summary.indexOf("p-silver-z"));
  }

  @Test
  void withOneJobAtATimeTheyRunOneAfterTheOther() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    // The first bronze job waits at the barrier alone, times out and fails; nothing else starts.
    assertThat(pipeline(1, out)).isEqualTo(1);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .containsPattern("p-bronze-x\\s+failed")
        .containsPattern("p-bronze-y\\s+not run")
        .containsPattern("p-silver-z\\s+not run");
  }

  @Test
  void aSmallJobBesideABigOneGetsACoreAtOnceInsteadOfQueueingBehindItsTasks() {
    BIG_TASKS_DONE.set(0);
    bigStarted = new CountDownLatch(1);
    bigTasksDoneWhenSmallFinished = -1;

    assertThat(pipeline(2, new ByteArrayOutputStream(), PipelineParallelismTest::bigAndSmall))
        .isEqualTo(0);

    // First come, first served, the small job's task would start after the big stage's last
    // task started: with 40 tasks of 0.2 s on two cores, once ~38 had finished.
    assertThat(bigTasksDoneWhenSmallFinished).isBetween(0, BIG_TASKS / 4);
  }
}
