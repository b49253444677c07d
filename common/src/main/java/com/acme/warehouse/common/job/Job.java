package com.acme.warehouse.common.job;

import java.util.List;

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
}
