package com.acme.warehouse.common.silver;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.SparkSession;

/** Table operations silver jobs share. */
public final class SilverTables {
  private SilverTables() {}

  /**
   * Empties a table for a full refresh, in one commit that keeps its properties and its history
   * (time travel still shows what it held before).
   */
  public static void reset(SparkSession spark, String location) {
    if (DeltaTable.isDeltaTable(spark, location)) {
      DeltaTable.forPath(spark, location).delete();
    }
  }
}
