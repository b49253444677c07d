package com.acme.warehouse.jobs.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.scd.AppendOnlyInsert;
import com.acme.warehouse.common.scd.ScdSpec;
import com.acme.warehouse.common.silver.DeliveryHistory;
import com.acme.warehouse.common.silver.Quarantine;
import com.acme.warehouse.common.silver.SilverTables;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.bronze.BronzeTables;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * What a silver job reads and how its table grows: the bronze rows after its watermark, appended
 * once each (records that may be re-delivered), or historised as SCD2 (full exports).
 */
public final class SilverLoad {
  private SilverLoad() {}

  /**
   * The bronze rows a silver job has not consumed yet (ingested after its watermark's {@code
   * ingested} value), persisted; under {@code --full-refresh} its outputs are emptied first and
   * every bronze row is new.
   */
  public static Dataset<Row> newBronzeRows(
      JobContext context, TableId bronze, Watermark before, TableId... outputs) {
    if (context.fullRefresh()) {
      for (TableId output : outputs) {
        SilverTables.reset(context.spark(), context.location(output));
      }
    }
    return BronzeTables.recordsAfter(
            context.spark(), context.location(bronze), before.get("ingested"))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * Appends the rows of a typed batch of records that arrive once each and may be re-delivered:
   * rejected rows are quarantined; of the accepted ones, the first delivery of each {@code id} is
   * appended unless the table already has it, so a re-delivery or a rerun adds nothing. Returns the
   * counters (read = written + quarantined + deduplicated).
   */
  public static JobResult.Builder appendFirstDelivery(
      SparkSession spark,
      Dataset<Row> typed,
      String id,
      Optional<String> partition,
      String target,
      String quarantine,
      String runId) {
    typed = typed.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> rejected = typed.where(col(Quarantine.RULE).isNotNull());
      long quarantinedNew = Acceptance.quarantine(spark, rejected, quarantine, runId);
      Dataset<Row> first =
          TypedRows.typedColumns(
                  typed.where(col(Quarantine.RULE).isNull()),
                  "_delivery_date",
                  "_source_file",
                  "_line_number",
                  "_ingested_at")
              .withColumn(
                  "_copy",
                  row_number()
                      .over(
                          Window.partitionBy(id)
                              .orderBy(
                                  "_ingested_at",
                                  "_delivery_date",
                                  "_source_file",
                                  "_line_number")))
              .where(col("_copy").equalTo(1))
              .drop("_copy");
      long read = typed.count();
      long rejectedCount = rejected.count();
      long written =
          AppendOnlyInsert.apply(spark, first, target, List.of(id), partition).inserted();
      return Acceptance.counters(read, written, rejectedCount, quarantinedNew);
    } finally {
      typed.unpersist();
    }
  }

  /**
   * Historises the accepted rows of a source that arrives as full exports: every delivery in one
   * SCD2 merge ({@link DeliveryHistory}); the watermark moves past the bronze rows read and the
   * last delivery applied. Returns the run's result with the counters and what the deliveries did.
   */
  public static JobResult historiseDeliveries(
      JobContext context,
      Dataset<Row> bronze,
      Watermark before,
      Acceptance.Accepted accepted,
      TableId target,
      ScdSpec.Builder history,
      boolean missingMeansDeleted) {
    DeliveryHistory.Outcome outcome =
        DeliveryHistory.apply(
            context.spark(),
            accepted.rows,
            "_delivery_date",
            context.location(target),
            history,
            missingMeansDeleted,
            before.get("delivery").map(LocalDate::parse));
    Watermark after =
        before
            .with("ingested", BronzeTables.watermarkOf(bronze, before.get("ingested")))
            .with("delivery", outcome.last.map(LocalDate::toString));
    return outcome
        .details(accepted.counters())
        .watermarkBefore(before.orNull())
        .watermarkAfter(after.orNull())
        .build();
  }
}
