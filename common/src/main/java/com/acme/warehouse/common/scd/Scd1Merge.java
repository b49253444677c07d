package com.acme.warehouse.common.scd;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;

import com.acme.warehouse.common.keys.SurrogateKeys;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * SCD Type 1 on Delta: one row per business key, attributes overwritten in place, the surrogate key
 * (a hash of the business key) kept. A row older than the stored one (by the updated-at column,
 * when named) never overwrites it; an identical row changes nothing. One MERGE per batch.
 */
public final class Scd1Merge {
  private Scd1Merge() {}

  /**
   * @param keyColumn name of the surrogate key column the table carries
   * @param updatedAt the row's effective time; the latest row of a key in the batch wins, and only
   *     a row at least as new as the stored one overwrites it. Without it, two different rows of
   *     one key in a batch are refused.
   */
  public static ScdResult apply(
      SparkSession spark,
      Dataset<Row> batch,
      String target,
      List<String> keys,
      String keyColumn,
      Optional<String> updatedAt) {
    MergeBatch.requireColumns(batch.schema(), keys, "key columns", target);
    updatedAt.ifPresent(
        u -> MergeBatch.requireColumns(batch.schema(), List.of(u), "updated-at column", target));
    List<String> attrs = new ArrayList<>();
    for (String name : batch.schema().fieldNames()) {
      if (!keys.contains(name)) {
        attrs.add(name);
      }
    }
    Dataset<Row> rows =
        SurrogateKeys.withKey(
                oneRowPerKey(batch, keys, updatedAt, target),
                keyColumn,
                keys.toArray(new String[0]))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      MergeTarget.ensureTarget(spark, target, rows.schema(), List.of(), true, true);
      return merge(spark, rows, target, keys, keyColumn, attrs, updatedAt);
    } finally {
      rows.unpersist();
    }
  }

  /**
   * The batch with one row per key: copies dropped, the newest row of a key kept (by updated-at);
   * two different rows the rule cannot order are refused.
   */
  private static Dataset<Row> oneRowPerKey(
      Dataset<Row> batch, List<String> keys, Optional<String> updatedAt, String target) {
    Dataset<Row> rows = batch.dropDuplicates();
    Column[] keyCols = MergeBatch.cols(keys);
    if (updatedAt.isEmpty()) {
      Dataset<Row> clashes = rows.groupBy(keyCols).count().where(col("count").gt(1));
      refuseIfAny(clashes, "different rows for one key", keys, target);
      return rows;
    }
    Column newest = col(updatedAt.get()).desc_nulls_last();
    Dataset<Row> ranked =
        rows.withColumn("_scd_rank", row_number().over(Window.partitionBy(keyCols).orderBy(newest)))
            .withColumn(
                "_scd_ties",
                count(lit(1))
                    .over(
                        Window.partitionBy(MergeBatch.cols(withUpdatedAt(keys, updatedAt.get())))));
    rows = ranked.where(col("_scd_rank").equalTo(1));
    Dataset<Row> ties = rows.where(col("_scd_ties").gt(1));
    refuseIfAny(ties, "different rows for one key with the same updated-at", keys, target);
    return rows.drop("_scd_rank", "_scd_ties");
  }

  /** One MERGE: new keys inserted, a changed row at least as new as the stored one updated. */
  private static ScdResult merge(
      SparkSession spark,
      Dataset<Row> rows,
      String target,
      List<String> keys,
      String keyColumn,
      List<String> attrs,
      Optional<String> updatedAt) {
    Column changed = lit(false);
    for (String attr : attrs) {
      changed = changed.or(not(col("t." + attr).eqNullSafe(col("s." + attr))));
    }
    Column newer = lit(true);
    if (updatedAt.isPresent()) {
      newer =
          col("s." + updatedAt.get())
              .geq(col("t." + updatedAt.get()))
              .or(col("t." + updatedAt.get()).isNull());
    }
    Map<String, Column> values = new LinkedHashMap<>();
    for (String name : rows.schema().fieldNames()) {
      values.put(name, col("s." + name));
    }
    Map<String, Column> updates = new LinkedHashMap<>();
    for (String attr : attrs) {
      updates.put(attr, col("s." + attr));
    }
    long rowsIn = rows.agg(count(lit(1))).head().getLong(0);
    DeltaTable table = DeltaTable.forPath(spark, target);
    long before = MergeTarget.version(table);
    table
        .as("t")
        .merge(
            rows.as("s"),
            col("t." + keyColumn)
                .equalTo(col("s." + keyColumn))
                .and(MergeTarget.keyRange(rows, keys.get(0), "t")))
        .whenMatched(changed.and(newer))
        .update(updates)
        .whenNotMatched()
        .insert(values)
        .execute();
    long inserted = MergeTarget.mergeMetric(table, before, "numTargetRowsInserted");
    long updated = MergeTarget.mergeMetric(table, before, "numTargetRowsUpdated");
    return new ScdResult(rowsIn, inserted, updated, 0, rowsIn - inserted - updated);
  }

  private static List<String> withUpdatedAt(List<String> keys, String updatedAt) {
    List<String> columns = new ArrayList<>(keys);
    columns.add(updatedAt);
    return columns;
  }

  private static void refuseIfAny(
      Dataset<Row> offending, String rule, List<String> keys, String target) {
    if (!offending.isEmpty()) {
      throw new ScdConflictException(
          target + ": " + rule + ", e.g. " + MergeBatch.sample(offending, keys));
    }
  }
}
