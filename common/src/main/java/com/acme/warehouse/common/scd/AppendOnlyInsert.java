package com.acme.warehouse.common.scd;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;

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
import org.apache.spark.storage.StorageLevel;

/**
 * Append-only facts: rows whose key the table already has are skipped, so re-running a batch adds
 * nothing. An insert-only MERGE, bounded to the batch's partitions (when the table is partitioned)
 * and key range, so Delta reads only the files that could hold those keys rather than the whole
 * table.
 */
public final class AppendOnlyInsert {
  /** Beyond this many partitions in one batch, the MERGE is bounded by key range only. */
  private static final int MAX_LISTED = 10_000;

  private AppendOnlyInsert() {}

  public static ScdResult apply(
      SparkSession spark,
      Dataset<Row> batch,
      String target,
      List<String> keys,
      Optional<String> partitionColumn) {
    MergeBatch.requireColumns(batch.schema(), keys, "key columns", target);
    Dataset<Row> rows = batch.dropDuplicates().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> clashes = rows.groupBy(MergeBatch.cols(keys)).count().where(col("count").gt(1));
      if (!clashes.isEmpty()) {
        throw new ScdConflictException(
            target + ": different rows with one key, e.g. " + MergeBatch.sample(clashes, keys));
      }
      MergeTarget.ensureTarget(
          spark,
          target,
          rows.schema(),
          partitionColumn.map(List::of).orElse(List.of()),
          false,
          true);
      Column on = lit(true);
      for (String key : keys) {
        on = on.and(col("t." + key).equalTo(col("s." + key)));
      }
      on = on.and(MergeTarget.keyRange(rows, keys.get(0), "t"));
      if (partitionColumn.isPresent()) {
        // Literal partition values let Delta prune partitions before it reads a file.
        List<Object> values = new ArrayList<>();
        for (Row value : rows.select(partitionColumn.get()).distinct().takeAsList(MAX_LISTED + 1)) {
          values.add(value.get(0));
        }
        if (values.size() <= MAX_LISTED) {
          on = on.and(col("t." + partitionColumn.get()).isin(values.toArray()));
        }
      }
      Map<String, Column> values = new LinkedHashMap<>();
      for (String name : rows.schema().fieldNames()) {
        values.put(name, col("s." + name));
      }
      long rowsIn = rows.agg(count(lit(1))).head().getLong(0);
      DeltaTable table = DeltaTable.forPath(spark, target);
      long before = MergeTarget.version(table);
      table.as("t").merge(rows.as("s"), on).whenNotMatched().insert(values).execute();
      long inserted = MergeTarget.mergeMetric(table, before, "numTargetRowsInserted");
      return new ScdResult(rowsIn, inserted, 0, 0, rowsIn - inserted);
    } finally {
      rows.unpersist();
    }
  }
}
