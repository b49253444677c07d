package com.acme.warehouse.common.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.scd.Scd2Merge;
import com.acme.warehouse.common.scd.ScdColumns;
import com.acme.warehouse.common.scd.ScdResult;
import com.acme.warehouse.common.scd.ScdSpec;
import com.acme.warehouse.common.spark.DriverRows;
import com.acme.warehouse.common.spark.ScalaSeqs;
import io.delta.tables.DeltaTable;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Historises a source that arrives as full exports, however many arrived, in one SCD2 merge: each
 * export's rows are effective at its delivery date (or their own updated-at), and a key missing
 * from an export is deleted as of that export — never as of the pipeline's clock. Which keys each
 * export deletes is a comparison of consecutive exports (the first with the history's live keys),
 * not a merge per export, so eight exports cost about what one does. An export older than the last
 * one applied (delivered late) adds its rows at their place in history but deletes nothing: an old
 * export cannot say what is missing now. More of the last applied export (the day's export re-sent
 * complete after a partial one, or a further file of it) takes back the deletes it contradicts.
 */
public final class DeliveryHistory {
  /** Full exports one run applies at most (one a day for 270 years). */
  private static final int MAX_DELIVERIES = 100_000;

  private static final String DELETED = "_delivery_deleted";
  private static final String EFFECTIVE = "_delivery_effective";
  private static final String PREVIOUS = "_previous_delivery";

  private DeliveryHistory() {}

  /** What the deliveries did. */
  public static final class Outcome {
    public final List<String> applied = new ArrayList<>();
    public final List<String> appliedLate = new ArrayList<>();
    public long inserted;
    public long updated;
    public long deletes;
    public long deletesTakenBack;
    public Optional<LocalDate> last = Optional.empty();

    /** Adds what the deliveries did to a run's details. */
    public JobResult.Builder details(JobResult.Builder result) {
      return result
          .detail("deliveries_applied", applied)
          .detail("deliveries_applied_late", appliedLate)
          .detail("versions_inserted", inserted)
          .detail("versions_updated", updated)
          .detail("deleted", deletes)
          .detail("deletes_taken_back", deletesTakenBack);
    }
  }

  /**
   * @param rows typed rows with a DATE column {@code deliveryColumn}; the other columns are the
   *     entity's
   * @param history how the entity is historised: its keys and change strategy (CHECK rows take
   *     their delivery date as effective time, TIMESTAMP rows their own updated-at)
   * @param missingMeansDeleted whether a key missing from an export was deleted at the source (a
   *     database export), or an export may leave rows out (a sheet kept by hand)
   * @param lastApplied the latest delivery already in the history
   */
  public static Outcome apply(
      SparkSession spark,
      Dataset<Row> rows,
      String deliveryColumn,
      String target,
      ScdSpec.Builder history,
      boolean missingMeansDeleted,
      Optional<LocalDate> lastApplied) {
    Outcome outcome = new Outcome();
    outcome.last = lastApplied;
    List<LocalDate> onTime = new ArrayList<>();
    List<LocalDate> late = new ArrayList<>();
    sortDeliveries(rows, deliveryColumn, target, lastApplied, onTime, late);
    if (onTime.isEmpty() && late.isEmpty()) {
      return outcome;
    }
    onTime.forEach(d -> outcome.applied.add(d.toString()));
    late.forEach(d -> outcome.appliedLate.add(d.toString()));
    if (!onTime.isEmpty()) {
      outcome.last = Optional.of(onTime.get(onTime.size() - 1));
    }

    ScdSpec spec = history.effectiveTimeColumn(EFFECTIVE).deleteMarker(DELETED).build();
    Dataset<Row> present =
        rows.where(col(deliveryColumn).isNotNull()).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      if (missingMeansDeleted && lastApplied.isPresent() && late.contains(lastApplied.get())) {
        outcome.deletesTakenBack =
            takeBackDeletes(spark, present, deliveryColumn, target, spec, lastApplied.get());
      }
      historise(
          spark,
          present,
          deliveryColumn,
          target,
          spec,
          missingMeansDeleted ? onTime : List.of(),
          outcome);
    } finally {
      present.unpersist();
    }
    return outcome;
  }

  /**
   * The batch's delivery dates (a bounded number, so a list on the driver), in order: those after
   * the last applied delivery are on time, the others late.
   */
  private static void sortDeliveries(
      Dataset<Row> rows,
      String deliveryColumn,
      String target,
      Optional<LocalDate> lastApplied,
      List<LocalDate> onTime,
      List<LocalDate> late) {
    for (Row row :
        DriverRows.atMost(
            rows.select(deliveryColumn).where(col(deliveryColumn).isNotNull()).distinct(),
            MAX_DELIVERIES,
            "delivery dates of " + target)) {
      LocalDate delivery = row.getDate(0).toLocalDate();
      boolean isLate = lastApplied.isPresent() && !delivery.isAfter(lastApplied.get());
      (isLate ? late : onTime).add(delivery);
    }
    onTime.sort(null);
    late.sort(null);
  }

  /**
   * The rows and the deletes of the exports {@code deletingExports} (a key missing from one is
   * deleted as of it) in one SCD2 merge.
   */
  private static void historise(
      SparkSession spark,
      Dataset<Row> present,
      String deliveryColumn,
      String target,
      ScdSpec spec,
      List<LocalDate> deletingExports,
      Outcome outcome) {
    Dataset<Row> deletes =
        deletes(
                spark,
                present,
                deliveryColumn,
                target,
                spec.keys(),
                spec.columns(),
                deletingExports)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      outcome.deletes = deletes.count();
      // CHECK rows are true as of their export; TIMESTAMP rows as of their own updated-at.
      Column ownTime =
          spec.strategy() == ScdSpec.Strategy.CHECK
              ? col(deliveryColumn)
              : lit(null).cast(DataTypes.DateType);
      Dataset<Row> batch =
          present
              .withColumn(EFFECTIVE, ownTime)
              .withColumn(DELETED, lit(false))
              .drop(deliveryColumn)
              .unionByName(deletes, true);
      ScdResult result = Scd2Merge.apply(spark, batch, target, spec);
      outcome.inserted = result.inserted();
      outcome.updated = result.updated();
    } finally {
      deletes.unpersist();
    }
  }

  /**
   * More rows of an export already applied arrived: a key it has was not deleted as of its date
   * after all. The key's delete-marked version at that date (its current one) is removed and the
   * version it closed reopened, in one MERGE, before the batch is historised as usual (its rows
   * then land like any late export's). Returns how many keys came back.
   */
  private static long takeBackDeletes(
      SparkSession spark,
      Dataset<Row> present,
      String deliveryColumn,
      String target,
      ScdSpec spec,
      LocalDate export) {
    if (!DeltaTable.isDeltaTable(spark, target)) {
      return 0;
    }
    List<String> keys = spec.keys();
    ScdColumns meta = spec.columns();
    Timestamp at = Timestamp.from(export.atStartOfDay().toInstant(ZoneOffset.UTC));
    DeltaTable history = DeltaTable.forPath(spark, target);
    Dataset<Row> deletedThen =
        history
            .toDF()
            .where(
                col(meta.isDeleted())
                    .and(col(meta.isCurrent()))
                    .and(col(meta.validFrom()).equalTo(lit(at))))
            .select(columns(keys));
    Dataset<Row> back =
        present
            .where(col(deliveryColumn).equalTo(lit(Date.valueOf(export))))
            .select(columns(keys))
            .distinct()
            .join(deletedThen, ScalaSeqs.of(keys), "left_semi")
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long count = back.count();
      if (count == 0) {
        return 0;
      }
      Column sameKey = lit(true);
      for (String key : keys) {
        sameKey = sameKey.and(col("t." + key).equalTo(col("s." + key)));
      }
      Column marker =
          col("t." + meta.isDeleted()).and(col("t." + meta.validFrom()).equalTo(lit(at)));
      Column closed = col("t." + meta.validTo()).equalTo(lit(at));
      history
          .as("t")
          .merge(back.as("s"), sameKey.and(marker.or(closed)))
          .whenMatched(marker)
          .delete()
          .whenMatched(closed)
          .updateExpr(
              java.util.Map.of(meta.validTo(), "CAST(NULL AS TIMESTAMP)", meta.isCurrent(), "true"))
          .execute();
      return count;
    } finally {
      back.unpersist();
    }
  }

  /**
   * The keys each on-time export deletes, as delete-marked rows at its date: those the export
   * before it had (for the first, those live in the history before it, or new in a late export of
   * this batch) and it lacks.
   */
  private static Dataset<Row> deletes(
      SparkSession spark,
      Dataset<Row> present,
      String deliveryColumn,
      String target,
      List<String> keys,
      ScdColumns meta,
      List<LocalDate> onTime) {
    Column[] keyColumns = columns(keys);
    StructType keySchema = present.select(keyColumns).schema();
    if (onTime.isEmpty()) {
      return spark.createDataFrame(List.of(), keySchema);
    }
    LocalDate first = onTime.get(0);
    // Each on-time export beside the one before it: a handful of rows, one per export.
    List<Row> pairs = new ArrayList<>();
    for (int i = 1; i < onTime.size(); i++) {
      pairs.add(RowFactory.create(Date.valueOf(onTime.get(i - 1)), Date.valueOf(onTime.get(i))));
    }
    Dataset<Row> consecutive =
        spark.createDataFrame(
            pairs,
            new StructType()
                .add(PREVIOUS, DataTypes.DateType)
                .add(deliveryColumn, DataTypes.DateType));
    Dataset<Row> keysByExport =
        present.select(columns(withDelivery(keys, deliveryColumn))).distinct();

    // Live before the first on-time export: live and current in the history, or first seen in a
    // late export of this batch.
    Dataset<Row> liveBefore = keysByExport.where(col(deliveryColumn).lt(lit(Date.valueOf(first))));
    liveBefore = liveBefore.select(keyColumns);
    if (DeltaTable.isDeltaTable(spark, target)) {
      Dataset<Row> existing = spark.read().format("delta").load(target);
      Dataset<Row> live =
          existing
              .where(col(meta.isCurrent()).and(not(col(meta.isDeleted()))))
              .where(
                  col(meta.validFrom())
                      .lt(lit(Timestamp.from(first.atStartOfDay().toInstant(ZoneOffset.UTC)))))
              .select(keyColumns);
      liveBefore =
          liveBefore
              .join(existing.select(keyColumns), ScalaSeqs.of(keys), "left_anti")
              .unionByName(live);
    }
    Dataset<Row> candidates =
        liveBefore
            .distinct()
            .withColumn(deliveryColumn, lit(Date.valueOf(first)))
            .unionByName(
                keysByExport
                    .withColumnRenamed(deliveryColumn, PREVIOUS)
                    .join(consecutive, PREVIOUS)
                    .drop(PREVIOUS));
    return candidates
        .join(keysByExport, ScalaSeqs.of(withDelivery(keys, deliveryColumn)), "left_anti")
        .withColumn(EFFECTIVE, col(deliveryColumn))
        .withColumn(DELETED, lit(true))
        .drop(deliveryColumn);
  }

  private static Column[] columns(List<String> names) {
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  private static List<String> withDelivery(List<String> keys, String deliveryColumn) {
    List<String> columns = new ArrayList<>(keys);
    columns.add(deliveryColumn);
    return columns;
  }
}
