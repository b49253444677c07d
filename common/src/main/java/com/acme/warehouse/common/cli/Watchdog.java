package com.acme.warehouse.common.cli;

import com.acme.warehouse.common.ops.DaemonThreads;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;

/**
 * A job run's time limit ({@code jobs.<name>.timeout}, else {@code jobs.timeout}): once it has
 * passed, every Spark job of the run's job group is cancelled, and again each second while the run
 * is still going (a job that catches the cancellation and starts another is cancelled too), so a
 * hung job does not hold a cluster until someone notices. The runner then fails the run and puts
 * its outputs back.
 */
final class Watchdog {
  private final Optional<Duration> limit;
  private final AtomicBoolean expired = new AtomicBoolean();
  private final ScheduledExecutorService timer;

  Watchdog(SparkSession spark, String jobGroup, Optional<Duration> limit) {
    this.limit = limit;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("timeout-" + jobGroup));
    limit.ifPresent(
        after ->
            timer.scheduleWithFixedDelay(
                () -> {
                  expired.set(true);
                  spark.sparkContext().cancelJobGroup(jobGroup);
                },
                after.toMillis(),
                1000,
                TimeUnit.MILLISECONDS));
  }

  boolean expired() {
    return expired.get();
  }

  /** For a run that returned after its limit (it may have swallowed the cancellation). */
  void throwIfExpired(String job) {
    if (expired()) {
      throw timedOut(job, null);
    }
  }

  JobTimeoutException timedOut(String job, Throwable cause) {
    return new JobTimeoutException(
        "job "
            + job
            + ": timed out after "
            + limit.map(Duration::toSeconds).orElse(0L)
            + " s (jobs."
            + job
            + ".timeout, else jobs.timeout); its Spark jobs were cancelled",
        cause);
  }

  void stop() {
    timer.shutdownNow();
  }

  /** A run stopped at its time limit. */
  static final class JobTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JobTimeoutException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
