package com.acme.warehouse.common.quality;

import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.job.TableLocations;
import com.acme.warehouse.common.quality.checks.CheckContext;
import com.acme.warehouse.common.quality.checks.TableCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Evaluates the checks of one table. Every check that looks at rows one at a time (not null,
 * accepted values, range, row count, freshness, a relationship to a small parent) is answered by a
 * single aggregation over the table; unique, relationships to a big parent, SCD invariants,
 * reconciliation and SQL checks need their own pass. A failing check fetches a few offending rows
 * with a second, limited query: samples are small and bounded, never a collect of the table. How
 * each type of check is answered is its class in {@code quality.checks}.
 */
public final class QualityRunner {
  private final SparkSession spark;
  private final TableLocations tables;
  private final int sampleSize;
  private final Instant now;

  public QualityRunner(SparkSession spark, TableLocations tables, int sampleSize, Instant now) {
    this.spark = spark;
    this.tables = tables;
    this.sampleSize = sampleSize;
    this.now = now;
  }

  /** The results of the table's checks: the shared pass's first, then the others, as declared. */
  public List<CheckResult> run(
      TableId table, List<CheckSpec> specs, CheckContext.Counters counters) {
    CheckContext context = new CheckContext(spark, tables, table, counters, now, sampleSize);
    List<TableCheck> checks = new ArrayList<>();
    Dataset<Row> shared = context.data();
    for (CheckSpec spec : specs) {
      TableCheck check = TableCheck.of(spec);
      shared = check.prepare(context, shared);
      checks.add(check);
    }
    List<TableCheck> inPass = new ArrayList<>();
    List<Column> aggregates = new ArrayList<>();
    for (TableCheck check : checks) {
      if (check.inSharedPass()) {
        inPass.add(check);
        aggregates.addAll(check.aggregates());
      }
    }
    List<CheckResult> results = new ArrayList<>();
    if (!inPass.isEmpty()) {
      Row row =
          shared
              .agg(
                  aggregates.get(0),
                  aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
              .head();
      for (int i = 0; i < inPass.size(); i++) {
        results.add(inPass.get(i).judge(context, shared, row, 2 * i));
      }
    }
    for (TableCheck check : checks) {
      if (!check.inSharedPass()) {
        results.add(check.runAlone(context));
      }
    }
    return results;
  }
}
