package com.acme.warehouse.common.publish;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Loads rows through the spark-bigquery connector ({@code format("bigquery")}), provided at run
 * time: built into every Dataproc image and serverless runtime, its version pinned there by
 * property or cluster metadata (see docs/dataproc.md). Not a compile dependency: nothing here needs
 * more than the data source API.
 */
final class SparkBigQueryConnector {
  private SparkBigQueryConnector() {}

  static void write(Dataset<Row> rows, BigQueryWrite write) {
    rows.write().format(write.format()).options(write.options()).mode(write.mode()).save();
  }
}
