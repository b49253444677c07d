package com.acme.warehouse.common.cli;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.ops.ConcurrentCommits;
import com.acme.warehouse.common.ops.ConfigLog;
import com.acme.warehouse.common.ops.JobLeases;
import com.acme.warehouse.common.ops.OutputVersions;
import com.acme.warehouse.common.ops.RunFingerprint;
import com.acme.warehouse.common.ops.RunLog;
import com.acme.warehouse.common.ops.RunRecord;
import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.QualityGate;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job and accounts for it: every run, successful or not, appends a row to the run log
 * (naming the configuration it ran with, see {@link ConfigLog}) and reports it as finished before
 * its outcome is returned; a skipped run's row goes with the next row or the command's last commit.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  /**
   * The Spark scheduler pool a run's Spark jobs go to: the job's name. With {@code
   * spark.scheduler.mode = FAIR} the jobs a pipeline runs at once take turns on the cores, instead
   * of a small job's one task queueing behind every task of a big stage submitted before it (FIFO,
   * Spark's default). Without FAIR the pool is ignored.
   */
  static final String SCHEDULER_POOL = "spark.scheduler.pool";

  private final SparkSession spark;
  private final AppConfig config;
  private final RunLog runLog;
  private final String configId;
  private final String env;
  private final PrintStream out;
  private final Clock clock;
  private final QualityGate quality;
  private final Optional<LocalDate> runDate;
  private final Function<String, Optional<Duration>> timeouts;
  private final JobLeases leases;
  private final Progress progress;

  public JobRunner(
      SparkSession spark,
      AppConfig config,
      RunLog runLog,
      String configId,
      String env,
      PrintStream out,
      Clock clock,
      QualityGate quality,
      Optional<LocalDate> runDate,
      Function<String, Optional<Duration>> timeouts,
      JobLeases leases,
      Progress progress) {
    this.spark = spark;
    this.config = config;
    this.runLog = runLog;
    this.configId = configId;
    this.env = env;
    this.out = out;
    this.clock = clock;
    this.quality = quality;
    this.runDate = runDate;
    this.timeouts = timeouts;
    this.leases = leases;
    this.progress = progress;
  }

  /** The outcome of one run: its run-log record, and the failure if it failed. */
  public static final class Outcome {
    private final RunRecord record;
    private final Exception failure;

    Outcome(RunRecord record, Exception failure) {
      this.record = record;
      this.failure = failure;
    }

    public RunRecord record() {
      return record;
    }

    public Exception failure() {
      return failure;
    }

    public boolean succeeded() {
      return failure == null;
    }
  }

  private static Map<String, Object> qualitySummary(List<CheckResult> checks) {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("checks", checks.size());
    summary.put("failed", checks.stream().filter(CheckResult::failed).count());
    List<String> warnings = new ArrayList<>();
    for (CheckResult check : checks) {
      if (check.failed()) {
        warnings.add(check.table() + " " + check.check() + ": " + check.detail());
      }
    }
    summary.put("findings", warnings);
    return summary;
  }

  /**
   * Runs one job: skipped when nothing it reads, writes or is configured by moved since its last
   * successful run; else its lease, the job, its quality checks, its run-log record. Longer than
   * the others (~70 lines) on purpose: the phases are timed in order, and one {@code try} spans
   * them all, so a failure in any of them restores the outputs the run started from.
   */
  public Outcome run(JobDefinition definition, Job job, boolean fullRefresh, String pipelineId) {
    String runId = UUID.randomUUID().toString();
    RunRecord.Builder record =
        RunRecord.builder()
            .runId(runId)
            .pipelineId(pipelineId)
            .job(definition.name())
            .layer(definition.layer().id())
            .domain(definition.domain().orElse(null))
            .env(env)
            .start(clock.instant())
            .fullRefresh(fullRefresh);
    JobContext context = new JobContext(spark, config, runLog, definition, runId, fullRefresh, out);
    Exception failure = null;
    LOG.info("job {} run {} started (full refresh: {})", definition.name(), runId, fullRefresh);
    OutputVersions outputs = null;
    Watchdog watchdog = new Watchdog(spark, runId, timeouts.apply(definition.name()));
    try {
      spark.sparkContext().setJobGroup(runId, definition.name(), true);
      spark.sparkContext().setLocalProperty(SCHEDULER_POOL, definition.name());
      Map<String, Double> phases = new LinkedHashMap<>();
      Instant mark = clock.instant();
      Optional<RunFingerprint> fingerprint = RunFingerprint.of(definition, job, context, runDate);
      Optional<Map.Entry<String, RunFingerprint>> last =
          fingerprint.isPresent() ? runLog.lastFingerprint(definition.name()) : Optional.empty();
      String ranBecause = ranBecause(fullRefresh, fingerprint, last);
      mark = phase(phases, "fingerprint", mark);
      if (ranBecause == null) {
        String asOfRun = last.get().getKey();
        LOG.info("job {} skipped: inputs unchanged since run {}", definition.name(), asOfRun);
        record
            .status(RunRecord.SKIPPED)
            .details(Map.of("reason", "inputs unchanged", "as_of_run", asOfRun));
        return finish(definition, record, null);
      }
      // One run of a job writes its tables at a time; another one fails here, having done nothing.
      leases.holdFor(definition.name());
      mark = phase(phases, "lease", mark);
      outputs = OutputVersions.of(definition, context);
      JobResult result = job.run(context);
      mark = phase(phases, "run", mark);
      watchdog.throwIfExpired(definition.name());
      record
          .rowsRead(result.rowsRead())
          .rowsWritten(result.rowsWritten())
          .rowsQuarantined(result.rowsQuarantined());
      List<CheckResult> checks = quality.afterRun(definition, result, runId, fullRefresh);
      mark = phase(phases, "quality", mark);
      watchdog.throwIfExpired(definition.name());
      Map<String, Object> details =
          resultDetails(definition, context, result, ranBecause, fingerprint);
      phase(phases, "fingerprint_after", mark);
      details.putAll(howItWent(phases, checks));
      record
          .status(RunRecord.SUCCEEDED)
          .watermarkBefore(result.watermarkBefore().orElse(null))
          .watermarkAfter(result.watermarkAfter().orElse(null))
          .details(details);
    } catch (Exception e) {
      failure = watchdog.expired() ? watchdog.timedOut(definition.name(), e) : e;
      LOG.error("job {} run {} failed", definition.name(), runId, failure);
      record.status(RunRecord.FAILED).error(Failures.oneLine(failure));
      if (outputs != null) {
        restoreOutputs(definition, context, outputs, failure, watchdog, record);
      }
    } finally {
      watchdog.stop();
      spark.sparkContext().clearJobGroup();
      spark.sparkContext().setLocalProperty(SCHEDULER_POOL, null);
    }
    return finish(definition, record, failure);
  }

  /**
   * A successful run's details: the job's own, the run date, why it ran, and the fingerprint of
   * what it read and wrote (taken after the run, for the next run's skip).
   */
  private Map<String, Object> resultDetails(
      JobDefinition definition,
      JobContext context,
      JobResult result,
      String ranBecause,
      Optional<RunFingerprint> fingerprint) {
    Map<String, Object> details = new LinkedHashMap<>(result.details());
    runDate.ifPresent(date -> details.put("run_date", date.toString()));
    details.put("ran_because", ranBecause);
    fingerprint.ifPresent(
        f -> details.put(RunFingerprint.DETAIL, f.afterRun(definition, context).asDetail()));
    return details;
  }

  /** What a successful run's details add about the run: its phases, lease and quality summary. */
  private Map<String, Object> howItWent(Map<String, Double> phases, List<CheckResult> checks) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("phase_seconds", phases);
    leases.id().ifPresent(id -> details.put("lease", id));
    if (checks.stream().anyMatch(c -> !CheckResult.SKIPPED.equals(c.status()))) {
      details.put("quality", qualitySummary(checks));
    }
    return details;
  }

  /**
   * After a failed run, its outputs go back to where they were: nothing of a failed run stays
   * readable. Unless another run committed to one meanwhile: putting the table back would undo that
   * commit too, and the failed run's own commit did not happen (that is what Delta refused).
   */
  private void restoreOutputs(
      JobDefinition definition,
      JobContext context,
      OutputVersions outputs,
      Exception failure,
      Watchdog watchdog,
      RunRecord.Builder record) {
    if (ConcurrentCommits.causedBy(failure)) {
      record.details(Map.of("outputs_not_restored", "another writer committed concurrently"));
      return;
    }
    // Out of the run's job group first, which a timed-out run's watchdog keeps cancelling.
    watchdog.stop();
    spark.sparkContext().clearJobGroup();
    Map<String, Object> restored = outputs.restore(context);
    if (!restored.isEmpty()) {
      LOG.warn(
          "job {} run {} failed; outputs put back: {}",
          definition.name(),
          context.runId(),
          restored);
      record.details(Map.of("outputs_restored", restored));
    }
  }

  /**
   * Records the seconds since {@code from} as a phase of the run (where a job's fixed cost goes:
   * fingerprinting, the job itself, quality checks and their results); returns now.
   */
  private Instant phase(Map<String, Double> phases, String name, Instant from) {
    Instant now = clock.instant();
    phases.put(name, Duration.between(from, now).toMillis() / 1000.0);
    return now;
  }

  /** Why the job runs rather than being skipped; null when it has nothing to do. */
  private static String ranBecause(
      boolean fullRefresh,
      Optional<RunFingerprint> now,
      Optional<Map.Entry<String, RunFingerprint>> last) {
    if (fullRefresh) {
      return "full refresh";
    }
    if (now.isEmpty()) {
      return "inputs cannot be fingerprinted";
    }
    if (last.isEmpty()) {
      return "no earlier successful run";
    }
    return now.get().differenceFrom(last.get().getValue()).orElse(null);
  }

  /**
   * Appends the run's record to the run log and reports it as finished. A skipped run's record
   * waits for the next commit to the run log (see {@link RunLog#appendLater}).
   */
  private Outcome finish(JobDefinition definition, RunRecord.Builder record, Exception failure) {
    RunRecord done = record.detail(ConfigLog.DETAIL, configId).end(clock.instant()).build();
    String runId = done.runId();
    if (RunRecord.SKIPPED.equals(done.status())) {
      runLog.appendLater(done);
      progress.finished(done);
      return new Outcome(done, failure);
    }
    try {
      runLog.append(done);
    } catch (RuntimeException e) {
      LOG.error("could not append run {} to the run log at {}", runId, runLog.location(), e);
      RuntimeException logFailure =
          new IllegalStateException(
              "job " + definition.name() + ": could not write the run log at " + runLog.location(),
              e);
      if (failure == null) {
        failure = logFailure;
      } else {
        failure.addSuppressed(logFailure);
      }
    }
    progress.finished(done);
    return new Outcome(done, failure);
  }
}
