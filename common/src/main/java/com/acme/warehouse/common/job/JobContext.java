package com.acme.warehouse.common.job;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.ops.RunLog;
import java.io.PrintStream;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/** What a running job may use: the session, config, table locations and its own run identity. */
public final class JobContext {
  private final SparkSession spark;
  private final AppConfig config;
  private final TableLocations tables;
  private final RunLog runLog;
  private final String jobName;
  private final String runId;
  private final boolean fullRefresh;
  private final PrintStream out;

  public JobContext(
      SparkSession spark,
      AppConfig config,
      RunLog runLog,
      String jobName,
      String runId,
      boolean fullRefresh,
      PrintStream out) {
    this.spark = spark;
    this.config = config;
    this.tables = new TableLocations(config.paths());
    this.runLog = runLog;
    this.jobName = jobName;
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

  public TableLocations tables() {
    return tables;
  }

  /** Location of a table of the manifest. */
  public String location(TableId table) {
    return tables.of(table);
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
