package com.acme.warehouse.common.job;

import java.util.List;
import java.util.Optional;

/**
 * One runnable unit. Built by its {@link JobFactory} from validated config before Spark starts;
 * {@link #run} does the work and reports its counters.
 */
public interface Job {
  JobResult run(JobContext context) throws Exception;

  /** What {@code --dry-run} prints about this job, beyond its inputs and outputs. */
  default List<String> describe() {
    return List.of();
  }

  /**
   * A digest of what has landed in the job's raw (not Delta) inputs — e.g. the files' names, sizes
   * and modification times — so an unchanged landing zone lets the run be skipped; empty when the
   * job cannot tell, and then it always runs.
   */
  default Optional<String> rawInputDigest(JobContext context) {
    return Optional.empty();
  }
}
