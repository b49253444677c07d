package com.acme.warehouse.jobs.bronze;

import static org.apache.spark.sql.functions.col;

import io.delta.tables.DeltaTable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** How to read a bronze table: its records, or its manifest of ingested files. */
public final class BronzeTables {
  private BronzeTables() {}

  public static boolean exists(SparkSession spark, String location) {
    return DeltaTable.isDeltaTable(spark, location);
  }

  /** Every record ever ingested, malformed ones included (flagged by {@code _is_malformed}). */
  public static Dataset<Row> records(SparkSession spark, String location) {
    return spark
        .read()
        .format("delta")
        .load(location)
        .where(col(BronzeColumns.KIND).equalTo(BronzeColumns.KIND_RECORD))
        .drop(BronzeColumns.KIND, BronzeColumns.FILE);
  }

  /**
   * Records ingested after a watermark (the {@code _ingested_at} of the last record a consumer
   * processed, in epoch microseconds: zone-free), or all records when there is none. Ingestion
   * times only grow: each run stamps its records with one time.
   */
  public static Dataset<Row> recordsAfter(
      SparkSession spark, String location, java.util.Optional<String> watermark) {
    Dataset<Row> records = records(spark, location);
    return watermark.isEmpty()
        ? records
        : records.where(
            col(BronzeColumns.INGESTED_AT).gt(java.sql.Timestamp.valueOf(watermark.get())));
  }

  /** The watermark after consuming these records: their latest ingestion time, as text. */
  public static java.util.Optional<String> watermarkOf(
      Dataset<Row> records, java.util.Optional<String> previous) {
    Row row =
        records
            .agg(org.apache.spark.sql.functions.max(col(BronzeColumns.INGESTED_AT)).cast("string"))
            .head();
    return row.isNullAt(0) ? previous : java.util.Optional.of(row.getString(0));
  }

  /**
   * The manifest: one row per ingestion of a file (path, size, modification time, checksum, run,
   * and the {@code _file} summary: status, records, malformed, drift, problems).
   */
  public static Dataset<Row> manifest(SparkSession spark, String location) {
    return spark
        .read()
        .format("delta")
        .load(location)
        .where(col(BronzeColumns.KIND).equalTo(BronzeColumns.KIND_FILE))
        .select(
            col(BronzeColumns.SOURCE_FILE),
            col(BronzeColumns.DELIVERY_DATE),
            col(BronzeColumns.FILE_SIZE),
            col(BronzeColumns.FILE_MODIFIED_AT),
            col(BronzeColumns.FILE_SHA256),
            col(BronzeColumns.RUN_ID),
            col(BronzeColumns.INGESTED_AT),
            col(BronzeColumns.FILE));
  }
}
