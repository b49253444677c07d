package com.acme.warehouse.common.cli;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.ops.RunRecord;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs the selected jobs of a pipeline in one Spark application, each as soon as the jobs that
 * produce its inputs have succeeded, up to {@code parallelism} at a time: much of a small job's
 * time is driver-side latency (listing, Delta log, commits) that overlaps well. After a failure no
 * further job starts; the ones running finish and are logged.
 */
final class PipelineExecutor {
  private final JobRunner runner;
  private final int parallelism;
  private final PrintStream err;

  PipelineExecutor(JobRunner runner, int parallelism, PrintStream err) {
    this.runner = runner;
    this.parallelism = parallelism;
    this.err = err;
  }

  /** What happened: runs in selection order, jobs never started, the first failure or null. */
  static final class Result {
    final List<RunRecord> runs;
    final List<JobDefinition> notRun;
    final Exception failure;

    Result(List<RunRecord> runs, List<JobDefinition> notRun, Exception failure) {
      this.runs = runs;
      this.notRun = notRun;
      this.failure = failure;
    }
  }

  /**
   * @param jobs the selection, in dependency order
   * @param upstream the jobs whose outputs a job reads
   */
  Result execute(
      Map<JobDefinition, Job> jobs,
      Function<JobDefinition, Set<JobDefinition>> upstream,
      boolean fullRefresh,
      String pipelineId) {
    ExecutorService pool = newPool();
    CompletionService<JobRunner.Outcome> done = new ExecutorCompletionService<>(pool);
    Map<JobDefinition, JobRunner.Outcome> outcomes = new LinkedHashMap<>();
    Set<JobDefinition> started = new HashSet<>();
    Set<JobDefinition> succeeded = new HashSet<>();
    Exception failure = null;
    int running = 0;
    try {
      while (true) {
        if (failure == null) {
          for (Map.Entry<JobDefinition, Job> entry : jobs.entrySet()) {
            JobDefinition job = entry.getKey();
            if (running >= parallelism || started.contains(job)) {
              continue;
            }
            if (ready(job, jobs.keySet(), upstream.apply(job), succeeded)) {
              started.add(job);
              running++;
              done.submit(() -> runner.run(job, entry.getValue(), fullRefresh, pipelineId));
            }
          }
        }
        if (running == 0) {
          break;
        }
        JobRunner.Outcome outcome = done.take().get();
        running--;
        JobDefinition job = find(jobs.keySet(), outcome.record().job());
        outcomes.put(job, outcome);
        if (outcome.succeeded()) {
          succeeded.add(job);
        } else {
          err.println(
              "error: job " + job.name() + " failed: " + Failures.oneLine(outcome.failure()));
          if (failure == null) {
            failure = outcome.failure();
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("pipeline interrupted", e);
    } catch (ExecutionException e) {
      // JobRunner catches job failures; this is a failure of the runner itself.
      throw new IllegalStateException("pipeline runner failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return result(jobs.keySet(), outcomes, failure);
  }

  /** Daemon threads named {@code pipeline-N}: a job left running never keeps the JVM alive. */
  private ExecutorService newPool() {
    AtomicInteger threads = new AtomicInteger();
    return Executors.newFixedThreadPool(
        parallelism,
        task -> {
          Thread thread = new Thread(task, "pipeline-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  private static Result result(
      Set<JobDefinition> selected,
      Map<JobDefinition, JobRunner.Outcome> outcomes,
      Exception failure) {
    List<RunRecord> runs = new ArrayList<>();
    List<JobDefinition> notRun = new ArrayList<>();
    for (JobDefinition job : selected) {
      if (outcomes.containsKey(job)) {
        runs.add(outcomes.get(job).record());
      } else {
        notRun.add(job);
      }
    }
    return new Result(runs, notRun, failure);
  }

  /** Every upstream job inside the selection has succeeded (ones outside were run before). */
  private static boolean ready(
      JobDefinition job,
      Set<JobDefinition> selected,
      Set<JobDefinition> upstream,
      Set<JobDefinition> succeeded) {
    for (JobDefinition producer : upstream) {
      if (selected.contains(producer) && !succeeded.contains(producer)) {
        return false;
      }
    }
    return true;
  }

  private static JobDefinition find(Set<JobDefinition> jobs, String name) {
    return jobs.stream().filter(job -> job.name().equals(name)).findFirst().orElseThrow();
  }
}
