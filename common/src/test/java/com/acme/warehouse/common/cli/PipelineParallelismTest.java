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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code pipeline} runs independent jobs at the same time and a job only after its producers: two
 * bronze jobs meet at a barrier (which only works if both run at once), and the silver job that
 * reads both checks that both had finished.
 */
class PipelineParallelismTest extends SparkTestBase {
  private static final AtomicInteger FINISHED = new AtomicInteger();
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

  private int pipeline(int parallelism, ByteArrayOutputStream out) {
    barrier = new CyclicBarrier(2);
    FINISHED.set(0);
    finishedWhenSilverStarted = -1;
    return new Cli(
            "warehouse",
            PipelineParallelismTest::registry,
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
            "paths.warehouse=" + path("warehouse-" + parallelism));
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
}
