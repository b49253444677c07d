package com.acme.warehouse.common.publish;

import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * The spark-bigquery connector ({@code format("bigquery")}), provided at run time: preinstalled on
 * Dataproc images and serverless runtimes, or added with {@code --jars}. Not a compile dependency:
 * nothing here needs more than the data source API.
 */
public final class SparkBigQueryConnector implements BigQueryGoldSink.Connector {
  private final SparkSession spark;

  public SparkBigQueryConnector(SparkSession spark) {
    this.spark = spark;
  }

  @Override
  public Optional<StructType> existingSchema(String table) {
    try {
      // Reads metadata only: no rows move until an action.
      return Optional.of(
          spark.read().format(BigQueryWrite.FORMAT).option("table", table).load().schema());
    } catch (RuntimeException e) {
      if (notFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void write(Dataset<Row> rows, BigQueryWrite write) {
    rows.write().format(write.format()).options(write.options()).mode(write.mode()).save();
  }

  private static boolean notFound(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (message.contains("Not found") || message.contains("not found")) {
        return true;
      }
    }
    return false;
  }
}
