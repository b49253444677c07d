package com.acme.warehouse.common.quality;

import static org.apache.spark.sql.functions.col;

import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.job.TableLocations;
import com.acme.warehouse.common.ops.RunLog;
import com.acme.warehouse.common.quality.checks.CheckContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What runs after every job, before anything downstream may use its output: the checks declared for
 * the job's output tables, the reconciliation of its counters, and the anomaly rules on its row
 * count and on configured KPIs. Every result is recorded; a failed check of severity {@code error}
 * stops the run with a {@link DataQualityException} (exit code 3), so no downstream job and no
 * publish step runs on the bad table.
 */
public final class QualityGate {
  private static final Logger LOG = LoggerFactory.getLogger(QualityGate.class);
  public static final String DEDUPLICATED = "rows_deduplicated";

  private final SparkSession spark;
  private final QualityConfig config;
  private final TableLocations tables;
  private final QualityResults results;
  private final RunLog runLog;
  private final Clock clock;

  public QualityGate(
      SparkSession spark, QualityConfig config, TableLocations tables, RunLog runLog, Clock clock) {
    this.spark = spark;
    this.config = config;
    this.tables = tables;
    this.results = new QualityResults(spark, tables.of(TableId.ops("quality_results")));
    this.runLog = runLog;
    this.clock = clock;
  }

  public QualityResults results() {
    return results;
  }

  /** Checks a finished job's outputs; returns every result, or throws if one blocks. */
  public List<CheckResult> afterRun(
      JobDefinition job, JobResult result, String runId, boolean fullRefresh) {
    Instant now = clock.instant();
    QualityRunner runner = new QualityRunner(spark, tables, config.sampleSize(), now);
    Object deduplicated = result.details().get(DEDUPLICATED);
    CheckContext.Counters counters =
        new CheckContext.Counters(
            result.rowsRead(),
            result.rowsWritten(),
            result.rowsQuarantined(),
            deduplicated instanceof Number ? ((Number) deduplicated).longValue() : 0);
    List<CheckResult> found = new ArrayList<>();
    for (TableId table : job.outputs()) {
      List<CheckSpec> checks = config.checksOf(table);
      if (!checks.isEmpty()) {
        found.addAll(runner.run(table, checks, counters));
      }
      for (QualityConfig.Kpi kpi : config.kpisOf(table)) {
        found.add(kpi(table, kpi));
      }
    }
    if (config.watchRowCounts() && !job.outputs().isEmpty()) {
      found.add(rowCountAnomaly(job, result, fullRefresh));
    }
    results.append(runId, job.name(), now, found);
    for (CheckResult r : found) {
      if (r.failed()) {
        LOG.warn("quality {}: {}", r.severity().name().toLowerCase(java.util.Locale.ROOT), r);
      }
    }
    for (CheckResult r : found) {
      if (r.blocking()) {
        throw new DataQualityException(
            "table "
                + r.table()
                + ": check "
                + r.check()
                + " failed: "
                + r.detail()
                + (r.sample().isEmpty() ? "" : "; e.g. " + String.join(", ", r.sample())));
      }
    }
    return found;
  }

  private CheckResult kpi(TableId table, QualityConfig.Kpi kpi) {
    Column column = col(kpi.column);
    Column aggregate;
    switch (kpi.aggregate) {
      case "avg":
        aggregate = functions.avg(column);
        break;
      case "count":
        aggregate = functions.count(column);
        break;
      case "max":
        aggregate = functions.max(column);
        break;
      case "min":
        aggregate = functions.min(column);
        break;
      default:
        aggregate = functions.sum(column);
    }
    Row row =
        spark.read().format("delta").load(tables.of(table)).agg(aggregate.cast("double")).head();
    double value = row.isNullAt(0) ? 0 : row.getDouble(0);
    List<Double> history =
        results.history(table.toString(), kpi.name(), config.anomalyRule().window());
    return anomaly(table.toString(), kpi.name(), value, history);
  }

  /**
   * Rows written against the job's earlier runs of the same kind that wrote something: a full
   * refresh is compared with full refreshes, an incremental run with incremental ones. An
   * incremental run that wrote nothing (nothing arrived) is not judged, and such runs are not
   * history either: a median of zero would flag every ordinary day.
   */
  private CheckResult rowCountAnomaly(JobDefinition job, JobResult result, boolean fullRefresh) {
    String table = job.outputs().get(0).toString();
    String name = "anomaly(rows_written of " + job.name() + ")";
    if (!fullRefresh && result.rowsWritten() == 0) {
      return new CheckResult(
          table,
          name,
          "anomaly",
          CheckSpec.Severity.WARN,
          CheckResult.SKIPPED,
          0,
          0,
          "0: an incremental run that wrote nothing is not judged",
          List.of(),
          0.0);
    }
    List<Double> history =
        runLog.recentValues(job.name(), "rows_written", config.anomalyRule().window(), fullRefresh);
    return anomaly(table, name, result.rowsWritten(), history);
  }

  private CheckResult anomaly(String table, String name, double value, List<Double> history) {
    AnomalyRule.Verdict verdict = config.anomalyRule().judge(value, history);
    String status =
        !verdict.judged
            ? CheckResult.SKIPPED
            : verdict.anomalous ? CheckResult.FAILED : CheckResult.PASSED;
    return new CheckResult(
        table,
        name,
        "anomaly",
        CheckSpec.Severity.WARN,
        status,
        verdict.anomalous ? 1 : 0,
        history.size(),
        verdict.detail,
        List.of(),
        value);
  }
}
