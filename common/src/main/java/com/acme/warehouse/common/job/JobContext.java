package com.acme.warehouse.common.job;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.ops.RunLog;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** What a running job may use: the session, config, table locations and its own run identity. */
public final class JobContext {
  private final SparkSession spark;
  private final AppConfig config;
  private final TableLocations tables;
  private final RunLog runLog;
  private final String jobName;
  private final Set<TableId> declared;
  private final String runId;
  private final boolean fullRefresh;
  private final PrintStream out;

  public JobContext(
      SparkSession spark,
      AppConfig config,
      RunLog runLog,
      JobDefinition job,
      String runId,
      boolean fullRefresh,
      PrintStream out) {
    this.spark = spark;
    this.config = config;
    this.tables = new TableLocations(config.paths());
    this.runLog = runLog;
    this.jobName = job.name();
    this.declared = new HashSet<>(job.inputs());
    this.declared.addAll(job.outputs());
    this.runId = runId;
    this.fullRefresh = fullRefresh;
    this.out = out;
  }

  /** Where a job prints what it has to tell the person running it (reports, answers). */
  public PrintStream out() {
    return out;
  }

  public SparkSession spark() {
    return spark;
  }

  public AppConfig config() {
    return config;
  }

  /**
   * Location of one of the job's declared inputs or outputs, or of the suite's own {@code _ops}
   * tables. Any other table is an error naming both: what the manifest does not know, skipping (a
   * job runs when its inputs moved), scheduling and lineage cannot follow, so a job never comes to
   * depend on it unseen.
   */
  public String location(TableId table) {
    if (!declared.contains(table) && !table.isOps()) {
      throw new IllegalStateException(
          "job "
              + jobName
              + " uses "
              + table
              + ", which is neither an input nor an output of its definition");
    }
    return tables.of(table);
  }

  /** One of the job's declared tables (or an {@code _ops} table), as it is now. */
  public Dataset<Row> read(TableId table) {
    return spark.read().format("delta").load(location(table));
  }

  public String jobName() {
    return jobName;
  }

  /** Unique per job run; recorded in every row the run writes where the layer keeps lineage. */
  public String runId() {
    return runId;
  }

  /** Rebuild outputs from all input instead of only what arrived since the last watermark. */
  public boolean fullRefresh() {
    return fullRefresh;
  }

  /**
   * The watermark this job reached in its last successful run, read from the run log; empty on the
   * first run and under {@code --full-refresh}.
   */
  public Optional<String> previousWatermark() {
    return fullRefresh ? Optional.empty() : runLog.lastWatermark(jobName);
  }
}
