package com.acme.warehouse.common.gold;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import java.util.Optional;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Writing a gold table (a dimension, a fact rebuilt whole, a report). */
public final class GoldTables {
  /**
   * Rows per file of a fact table laid out by time: small enough that a week's facts fill few files
   * at scale 10 and up, large enough that a scale-1 table stays one or two files.
   */
  static final int FACT_FILE_ROWS = 50_000;

  private GoldTables() {}

  /**
   * Replaces a gold table whole, in one Delta commit (readers see the old or the new table, never a
   * mix); a rerun on the same input writes the same rows. The table keeps a change data feed, so
   * the jobs reading it can find what the rebuild changed ({@link ChangeFeed#netChanges}).
   */
  public static void replace(Dataset<Row> frame, String location) {
    write(frame, location, Optional.empty());
  }

  /**
   * {@link #replace} with the rows in the order of {@code time}, in files of at most {@link
   * #FACT_FILE_ROWS}: each file then covers its own stretch of time, and a MERGE of recent facts
   * bounded by time ({@link com.acme.warehouse.common.silver.ScopedReplace}) skips the older files
   * by their statistics instead of rewriting every file.
   */
  public static void replaceInTimeOrder(Dataset<Row> frame, String location, String time) {
    write(frame.orderBy(col(time)), location, Optional.of(FACT_FILE_ROWS));
  }

  private static void write(Dataset<Row> frame, String location, Optional<Integer> rowsPerFile) {
    if (DeltaTable.isDeltaTable(frame.sparkSession(), location)) {
      ChangeFeed.enable(frame.sparkSession(), location);
    }
    DataFrameWriter<Row> writer =
        frame
            .write()
            .format("delta")
            .mode("overwrite")
            .option("overwriteSchema", "true")
            .option(ChangeFeed.PROPERTY, "true");
    rowsPerFile.ifPresent(rows -> writer.option("maxRecordsPerFile", rows.toString()));
    writer.save(location);
  }
}
