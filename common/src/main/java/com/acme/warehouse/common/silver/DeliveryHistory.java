package com.acme.warehouse.common.silver;

import static org.apache.spark.sql.functions.col;

import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.scd.Scd2Merge;
import com.acme.warehouse.common.scd.ScdResult;
import com.acme.warehouse.common.scd.ScdSpec;
import com.acme.warehouse.common.spark.DriverRows;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Historises a source that arrives as full exports: each delivery is one SCD2 batch, applied in
 * delivery order, effective at its delivery date (so a key missing from an export is deleted as of
 * that export, never as of the pipeline's clock). A delivery older than the last one applied
 * (delivered late) is applied with its rows at their place in history but without deletes: an old
 * export cannot say what is missing now.
 */
public final class DeliveryHistory {
  /** Full exports one run applies at most (one a day for 270 years). */
  private static final int MAX_DELIVERIES = 100_000;

  private DeliveryHistory() {}

  /** What the deliveries did. */
  public static final class Outcome {
    public final List<String> applied = new ArrayList<>();
    public final List<String> appliedLate = new ArrayList<>();
    public long rows;
    public long inserted;
    public long updated;
    public long deletes;
    public Optional<LocalDate> last = Optional.empty();

    /** Adds what the deliveries did to a run's details. */
    public JobResult.Builder details(JobResult.Builder result) {
      return result
          .detail("deliveries_applied", applied)
          .detail("deliveries_applied_late", appliedLate)
          .detail("versions_inserted", inserted)
          .detail("versions_updated", updated)
          .detail("deleted", deletes);
    }
  }

  /**
   * @param rows typed rows with a DATE column {@code deliveryColumn}; the other columns are the
   *     entity's
   * @param spec the spec of one delivery, given its effective time and whether deletes apply
   * @param lastApplied the latest delivery already in the history
   */
  public static Outcome apply(
      SparkSession spark,
      Dataset<Row> rows,
      String deliveryColumn,
      String target,
      java.util.function.BiFunction<Instant, Boolean, ScdSpec> spec,
      Optional<LocalDate> lastApplied) {
    Outcome outcome = new Outcome();
    outcome.last = lastApplied;
    List<LocalDate> deliveries = new ArrayList<>();
    for (Row row :
        DriverRows.atMost(
            rows.select(deliveryColumn).distinct().orderBy(deliveryColumn),
            MAX_DELIVERIES,
            "delivery dates of " + target)) {
      if (!row.isNullAt(0)) {
        deliveries.add(row.getDate(0).toLocalDate());
      }
    }
    for (LocalDate delivery : deliveries) {
      boolean late = lastApplied.isPresent() && !delivery.isAfter(lastApplied.get());
      Instant at = delivery.atStartOfDay().toInstant(ZoneOffset.UTC);
      Dataset<Row> batch =
          rows.where(col(deliveryColumn).equalTo(Date.valueOf(delivery))).drop(deliveryColumn);
      ScdResult result = Scd2Merge.apply(spark, batch, target, spec.apply(at, !late));
      (late ? outcome.appliedLate : outcome.applied).add(delivery.toString());
      outcome.rows += result.rowsIn();
      outcome.inserted += result.inserted();
      outcome.updated += result.updated();
      outcome.deletes += result.deletes();
      if (outcome.last.isEmpty() || delivery.isAfter(outcome.last.get())) {
        outcome.last = Optional.of(delivery);
      }
    }
    return outcome;
  }
}
