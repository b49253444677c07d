package com.acme.warehouse.jobs.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.quality.QualityGate;
import com.acme.warehouse.common.silver.Quarantine;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * Accept or quarantine: the rows of a typed batch that broke a rule go to quarantine as they
 * arrived (bronze columns only, keyed by their origin); the others keep only their typed values,
 * under their own names, with the counts that reconcile the batch.
 */
public final class Acceptance {
  /**
   * Where a quarantined row came from, and so its key: the file, the line and the record's checksum
   * (a file re-delivered with other content may have another bad record on the same line; it is
   * kept too, while the same record seen again adds nothing).
   */
  public static final List<String> ORIGIN =
      List.of("_source_file", "_line_number", "_record_sha256");

  private Acceptance() {}

  /** Quarantines rejected rows as they arrived (bronze columns only); returns how many were new. */
  public static long quarantine(
      SparkSession spark, Dataset<Row> rejected, String location, String runId) {
    List<String> bronze = new ArrayList<>();
    for (String name : rejected.columns()) {
      if (!name.startsWith(TypedRows.TYPED)
          && !name.equals(Quarantine.RULE)
          && !name.equals(Quarantine.REASON)) {
        bronze.add(name);
      }
    }
    Dataset<Row> rows =
        Quarantine.rows(
            rejected, ORIGIN, col(Quarantine.RULE), col(Quarantine.REASON), bronze, runId);
    return Quarantine.append(spark, rows, location, ORIGIN);
  }

  /** A typed batch's accepted rows (distinct) and the counts that reconcile it. */
  public static final class Accepted {
    public final Dataset<Row> rows;
    public final long read;
    public final long rejected;
    public final long distinct;
    public final long quarantinedNew;

    private Accepted(
        Dataset<Row> rows, long read, long rejected, long distinct, long quarantinedNew) {
      this.rows = rows;
      this.read = read;
      this.rejected = rejected;
      this.distinct = distinct;
      this.quarantinedNew = quarantinedNew;
    }

    /** Read = written + quarantined + deduplicated, as the run log records it. */
    public JobResult.Builder counters() {
      return Acceptance.counters(read, distinct, rejected, quarantinedNew);
    }
  }

  /**
   * A silver batch's counters as the run log records them: read = written + quarantined +
   * deduplicated, and how many quarantine rows were new (a rerun quarantines nothing twice).
   */
  static JobResult.Builder counters(long read, long written, long rejected, long quarantinedNew) {
    return JobResult.builder()
        .rowsRead(read)
        .rowsWritten(written)
        .rowsQuarantined(rejected)
        .detail(QualityGate.DEDUPLICATED, read - rejected - written)
        .detail("quarantine_rows_new", quarantinedNew);
  }

  /**
   * {@link #accept(SparkSession, Dataset, List, String, String, String...)} for full exports, whose
   * rows keep their {@code _delivery_date}: a row of a file outside any {@code dt=YYYY-MM-DD}
   * folder has no export date to be effective at, nor an export to be compared with, and is
   * quarantined with rule {@code delivery_date_missing} naming the file (never dropped).
   */
  public static Accepted acceptExport(
      SparkSession spark, Dataset<Row> typed, List<String> keys, String quarantine, String runId) {
    return accept(
        spark,
        TypedRows.withDeliveryDate(typed, "a full export is dated by its folder"),
        keys,
        quarantine,
        runId,
        "_delivery_date");
  }

  /**
   * Quarantines the rows of a typed batch that broke a rule and keeps the others' typed values
   * (plus the named bronze columns), exact duplicates collapsed.
   */
  public static Accepted accept(
      SparkSession spark, Dataset<Row> typed, String quarantine, String runId, String... keep) {
    return accept(spark, typed, List.of(), quarantine, runId, keep);
  }

  /**
   * As {@link #accept(SparkSession, Dataset, String, String, String...)}, and a key that one
   * delivery gives different rows (which one is true cannot be known) is quarantined whole with
   * rule {@code conflicting_rows_for_key}, rather than failing the history or picking one.
   */
  public static Accepted accept(
      SparkSession spark,
      Dataset<Row> typed,
      List<String> keys,
      String quarantine,
      String runId,
      String... keep) {
    if (!keys.isEmpty()) {
      List<Column> scope = new ArrayList<>();
      for (String key : keys) {
        scope.add(col(TypedRows.TYPED + key));
      }
      scope.add(col("_delivery_date"));
      Column variants =
          size(
              collect_set(
                      when(
                          col(Quarantine.RULE).isNull(),
                          TypedRows.typedStruct(typed, List.of(typed.columns()))))
                  .over(Window.partitionBy(scope.toArray(new Column[0]))));
      Column conflicting = col(Quarantine.RULE).isNull().and(variants.gt(1));
      typed =
          typed
              .withColumn(
                  Quarantine.REASON,
                  when(
                          conflicting,
                          concat(
                              lit("key " + keys + " = "),
                              concat_ws(",", scope.subList(0, keys.size()).toArray(new Column[0])),
                              lit(" has "),
                              variants.cast("string"),
                              lit(" different rows in the delivery of "),
                              col("_delivery_date").cast("string")))
                      .otherwise(col(Quarantine.REASON)))
              .withColumn(
                  Quarantine.RULE,
                  when(conflicting, lit("conflicting_rows_for_key"))
                      .otherwise(col(Quarantine.RULE)));
    }
    Dataset<Row> rejected = typed.where(col(Quarantine.RULE).isNotNull());
    long quarantinedNew = quarantine(spark, rejected, quarantine, runId);
    Dataset<Row> rows =
        TypedRows.typedColumns(typed.where(col(Quarantine.RULE).isNull()), keep).distinct();
    return new Accepted(rows, typed.count(), rejected.count(), rows.count(), quarantinedNew);
  }
}
