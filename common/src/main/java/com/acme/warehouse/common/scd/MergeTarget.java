package com.acme.warehouse.common.scd;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.acme.warehouse.common.gold.ChangeFeed;
import io.delta.tables.DeltaTable;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The Delta table a merge writes into: created, or evolved to the batch's schema; bounded to the
 * batch's key range so Delta skips files; and what its last commit did.
 */
final class MergeTarget {
  private MergeTarget() {}

  /**
   * Creates the target with this schema when it does not exist. With deletion vectors, a MERGE that
   * closes a few versions marks rows instead of rewriting whole files: the cost follows the batch,
   * not the table (at ~1 s more per MERGE on tiny tables). Adds batch columns the target lacks (new
   * attributes are nullable in old versions); a target column the batch lacks is an error. With the
   * change data feed, consumers can read what each commit changed.
   */
  static void ensureTarget(
      SparkSession spark,
      String target,
      StructType schema,
      List<String> partitionBy,
      boolean deletionVectors,
      boolean changeDataFeed) {
    if (!DeltaTable.isDeltaTable(spark, target)) {
      spark
          .createDataFrame(List.of(), schema)
          .write()
          .format("delta")
          .option("delta.enableDeletionVectors", Boolean.toString(deletionVectors))
          .option(ChangeFeed.PROPERTY, Boolean.toString(changeDataFeed))
          .partitionBy(partitionBy.toArray(new String[0]))
          .save(target);
      return;
    }
    if (changeDataFeed) {
      ChangeFeed.enable(spark, target);
    }
    StructType existing = DeltaTable.forPath(spark, target).toDF().schema();
    Set<String> targetColumns = Set.of(existing.fieldNames());
    Set<String> batchColumns = Set.of(schema.fieldNames());
    List<String> lost =
        Arrays.stream(existing.fieldNames())
            .filter(n -> !batchColumns.contains(n))
            .collect(Collectors.toList());
    if (!lost.isEmpty()) {
      throw new IllegalArgumentException(target + ": the batch lacks the table's columns " + lost);
    }
    for (StructField field : schema.fields()) {
      if (!targetColumns.contains(field.name())) {
        spark.sql(
            "ALTER TABLE delta.`"
                + target.replace("`", "``")
                + "` ADD COLUMNS (`"
                + field.name().replace("`", "``")
                + "` "
                + field.dataType().sql()
                + ")");
      } else if (!existing.apply(field.name()).dataType().sameType(field.dataType())) {
        throw new IllegalArgumentException(
            target
                + ": column '"
                + field.name()
                + "' is "
                + existing.apply(field.name()).dataType().simpleString()
                + " in the table but "
                + field.dataType().simpleString()
                + " in the batch");
      }
    }
  }

  /**
   * A predicate on the target's first key column bounding it to the batch's range, as literals, so
   * Delta skips files whose min/max statistics fall outside. True when the type has no order worth
   * using or the batch is empty.
   */
  static Column keyRange(Dataset<Row> keys, String key, String targetAlias) {
    DataType type = keys.schema().apply(key).dataType();
    if (!(type instanceof NumericType
        || type instanceof StringType
        || type instanceof DateType
        || type instanceof TimestampType)) {
      return lit(true);
    }
    Row range = keys.agg(min(col(key)), max(col(key))).head();
    if (range.isNullAt(0)) {
      return lit(true);
    }
    Column column = col(targetAlias + "." + key);
    return column.geq(lit(range.get(0))).and(column.leq(lit(range.get(1))));
  }

  /** The table's current version. */
  static long version(DeltaTable table) {
    return table.history(1).head().getLong(0);
  }

  /**
   * A metric of the MERGE that moved the table past {@code versionBefore}; 0 when the MERGE
   * committed nothing (an empty source, nothing to change).
   */
  static long mergeMetric(DeltaTable table, long versionBefore, String metric) {
    Row last = table.history(1).head();
    if (last.getLong(0) == versionBefore) {
      return 0;
    }
    String operation = last.getAs("operation");
    if (!"MERGE".equals(operation)) {
      throw new IllegalStateException("expected the last commit to be a MERGE, found " + operation);
    }
    scala.collection.Map<String, String> metrics = last.getAs("operationMetrics");
    return Long.parseLong(metrics.get(metric).getOrElse(() -> "0"));
  }
}
