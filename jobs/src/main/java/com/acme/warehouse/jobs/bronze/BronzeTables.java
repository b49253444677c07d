package com.acme.warehouse.jobs.bronze;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.unix_micros;

import io.delta.tables.DeltaTable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.apache.spark.sql.Column;
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
   * processed), or all records when there is none. Ingestion times only grow: each run stamps its
   * records with one time. Compared as epoch microseconds, so neither the JVM's nor the session's
   * time zone can move the boundary.
   */
  public static Dataset<Row> recordsAfter(
      SparkSession spark, String location, Optional<String> watermark) {
    Dataset<Row> records = records(spark, location);
    return watermark.isEmpty()
        ? records
        : records.where(unix_micros(col(BronzeColumns.INGESTED_AT)).gt(micros(watermark.get())));
  }

  /**
   * The watermark after consuming these records: their latest ingestion time as an ISO-8601 instant
   * in UTC with microseconds ({@code 2026-12-01T14:09:05.898395Z}).
   */
  public static Optional<String> watermarkOf(Dataset<Row> records, Optional<String> previous) {
    Row row = records.agg(max(unix_micros(col(BronzeColumns.INGESTED_AT)))).head();
    if (row.isNullAt(0)) {
      return previous;
    }
    long micros = row.getLong(0);
    return Optional.of(
        Instant.ofEpochSecond(
                Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L)
            .toString());
  }

  /**
   * A watermark's instant in epoch microseconds. Runs before watermarks named their zone stored the
   * session zone's text ({@code 2026-12-01 14:09:05.898395}); the suite's session zone has always
   * been UTC, so that text is read as UTC.
   */
  static long micros(String watermark) {
    Instant instant =
        watermark.endsWith("Z")
            ? Instant.parse(watermark)
            : LocalDateTime.parse(watermark.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
  }

  /**
   * The manifest: one row per ingestion of a file (path, size, modification and change time,
   * checksum, run, and the {@code _file} summary: status, records, malformed, drift, problems).
   */
  public static Dataset<Row> manifest(SparkSession spark, String location) {
    Dataset<Row> table = spark.read().format("delta").load(location);
    // Tables written before the change time was recorded lack the column until their next write.
    Column changedAt =
        java.util.Arrays.asList(table.columns()).contains(BronzeColumns.FILE_CHANGED_AT)
            ? col(BronzeColumns.FILE_CHANGED_AT)
            : lit(null).cast("timestamp").as(BronzeColumns.FILE_CHANGED_AT);
    return table
        .where(col(BronzeColumns.KIND).equalTo(BronzeColumns.KIND_FILE))
        .select(
            col(BronzeColumns.SOURCE_FILE),
            col(BronzeColumns.DELIVERY_DATE),
            col(BronzeColumns.FILE_SIZE),
            col(BronzeColumns.FILE_MODIFIED_AT),
            changedAt,
            col(BronzeColumns.FILE_SHA256),
            col(BronzeColumns.RUN_ID),
            col(BronzeColumns.INGESTED_AT),
            col(BronzeColumns.FILE));
  }
}
