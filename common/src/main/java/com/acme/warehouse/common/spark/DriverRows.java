package com.acme.warehouse.common.spark;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rows a job brings to the driver on purpose (delivery dates, cohorts, as-of dates): small by the
 * nature of what they are, and bounded here so that a surprise fails with a message naming what
 * grew, instead of being cut off in silence.
 */
public final class DriverRows {
  private DriverRows() {}

  /**
   * All the rows, at most {@code max}; more fails naming {@code what} (e.g. "delivery dates of
   * silver.mentoring.users") and the bound.
   */
  public static List<Row> atMost(Dataset<Row> rows, int max, String what) {
    List<Row> taken = rows.takeAsList(max + 1);
    if (taken.size() > max) {
      throw new IllegalStateException(
          what
              + ": more than "
              + max
              + " rows would be held on the driver, the bound this job is built for;"
              + " it stops rather than cut the list");
    }
    return taken;
  }
}
