package com.acme.warehouse.common.gold;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What changed in a Delta table since a version a consumer last read, from Delta's change data
 * feed, so a gold job recomputes only what its inputs' new commits touched. When the feed cannot
 * answer (the table was recreated, the feed was off for part of the range, old versions were
 * vacuumed), the caller gets nothing and must rebuild whole: slower, never wrong.
 */
public final class ChangeFeed {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);

  private ChangeFeed() {}

  /** The table's latest version, or -1 when there is no table. */
  public static long version(SparkSession spark, String location) {
    if (!DeltaTable.isDeltaTable(spark, location)) {
      return -1;
    }
    return DeltaTable.forPath(spark, location).history(1).head().getAs("version");
  }

  /**
   * Rows inserted or updated (post-image) or deleted after {@code sinceVersion} up to {@code
   * untilVersion}, with Delta's {@code _change_type}; empty when the feed cannot cover the range.
   */
  public static Optional<Dataset<Row>> changes(
      SparkSession spark, String location, long sinceVersion, long untilVersion) {
    if (untilVersion < sinceVersion) {
      return Optional.empty();
    }
    if (untilVersion == sinceVersion) {
      return Optional.of(
          spark
              .read()
              .format("delta")
              .load(location)
              .limit(0)
              .withColumn("_change_type", org.apache.spark.sql.functions.lit("none")));
    }
    try {
      Dataset<Row> changes =
          spark
              .read()
              .format("delta")
              .option("readChangeFeed", "true")
              .option("startingVersion", sinceVersion + 1)
              .option("endingVersion", untilVersion)
              .load(location)
              .where(col("_change_type").notEqual("update_preimage"));
      changes.schema();
      changes.limit(1).count();
      return Optional.of(changes);
    } catch (RuntimeException e) {
      LOG.warn(
          "no change feed for {} versions {}..{} ({}); rebuilding whole",
          location,
          sinceVersion + 1,
          untilVersion,
          e.getMessage());
      return Optional.empty();
    }
  }
}
