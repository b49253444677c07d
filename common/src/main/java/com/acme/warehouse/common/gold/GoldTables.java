package com.acme.warehouse.common.gold;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Writing a gold table (a dimension, a fact rebuilt whole, a report). */
public final class GoldTables {
  private GoldTables() {}

  /**
   * Replaces a gold table whole, in one Delta commit (readers see the old or the new table, never a
   * mix); a rerun on the same input writes the same rows. The table keeps a change data feed, so
   * the jobs reading it can find what the rebuild changed ({@link ChangeFeed#netChanges}).
   */
  public static void replace(Dataset<Row> frame, String location) {
    if (DeltaTable.isDeltaTable(frame.sparkSession(), location)) {
      ChangeFeed.enable(frame.sparkSession(), location);
    }
    frame
        .write()
        .format("delta")
        .mode("overwrite")
        .option("overwriteSchema", "true")
        .option(ChangeFeed.PROPERTY, "true")
        .save(location);
  }
}
