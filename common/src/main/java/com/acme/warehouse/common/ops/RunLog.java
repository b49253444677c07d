package com.acme.warehouse.common.ops;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * The run log: an append-only Delta table with one row per job run, under {@code
 * <warehouse>/_ops/run_log}. Jobs read their last watermark from it, so incremental state lives in
 * the warehouse (shared by every machine) rather than in local files.
 */
public final class RunLog {
  public static final StructType SCHEMA =
      StructType.fromDDL(
          "run_id STRING NOT NULL, pipeline_id STRING, job STRING NOT NULL, layer STRING,"
              + " domain STRING, env STRING, start_time TIMESTAMP, end_time TIMESTAMP,"
              + " duration_ms BIGINT, status STRING NOT NULL, full_refresh BOOLEAN,"
              + " rows_read BIGINT, rows_written BIGINT, rows_quarantined BIGINT,"
              + " watermark_before STRING, watermark_after STRING, error STRING, details STRING");
  private static final int APPEND_ATTEMPTS = 3;

  private final SparkSession spark;
  private final String location;

  public RunLog(SparkSession spark, String location) {
    this.spark = spark;
    this.location = location;
  }

  public String location() {
    return location;
  }

  /**
   * Appends one record. Appends commute in Delta, but two first runs may race to create the table;
   * the loser retries.
   */
  public void append(RunRecord record) {
    Row row =
        RowFactory.create(
            record.runId(),
            record.pipelineId().orElse(null),
            record.job(),
            record.layer(),
            record.domain().orElse(null),
            record.env(),
            Timestamp.from(record.start()),
            Timestamp.from(record.end()),
            record.duration().toMillis(),
            record.status(),
            record.fullRefresh(),
            record.rowsRead(),
            record.rowsWritten(),
            record.rowsQuarantined(),
            record.watermarkBefore().orElse(null),
            record.watermarkAfter().orElse(null),
            record.error().orElse(null),
            record.detailsJson());
    Dataset<Row> frame = spark.createDataFrame(List.of(row), SCHEMA).coalesce(1);
    for (int attempt = 1; ; attempt++) {
      try {
        frame.write().format("delta").mode("append").save(location);
        return;
      } catch (DeltaConcurrentModificationException e) {
        if (attempt >= APPEND_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Every run, or an empty frame when nothing has run yet. */
  public Dataset<Row> read() {
    if (!exists()) {
      return spark.createDataFrame(List.of(), SCHEMA);
    }
    return spark.read().format("delta").load(location);
  }

  /** The watermark reached by the job's latest successful run that recorded one. */
  public Optional<String> lastWatermark(String job) {
    if (!exists()) {
      return Optional.empty();
    }
    List<Row> latest =
        read()
            .filter(
                functions
                    .col("job")
                    .equalTo(job)
                    .and(functions.col("status").equalTo(RunRecord.SUCCEEDED))
                    .and(functions.col("watermark_after").isNotNull()))
            .orderBy(functions.col("end_time").desc())
            .select("watermark_after")
            .takeAsList(1);
    return latest.isEmpty() ? Optional.empty() : Optional.of(latest.get(0).getString(0));
  }

  /**
   * A numeric column of the job's last successful runs of one kind (full refresh or incremental)
   * whose value is above zero, oldest first.
   */
  public List<Double> recentValues(String job, String column, int limit, boolean fullRefresh) {
    if (!exists()) {
      return List.of();
    }
    List<Row> rows =
        read()
            .filter(
                functions
                    .col("job")
                    .equalTo(job)
                    .and(functions.col("status").equalTo(RunRecord.SUCCEEDED))
                    .and(
                        functions
                            .coalesce(functions.col("full_refresh"), functions.lit(false))
                            .equalTo(fullRefresh))
                    .and(functions.col(column).gt(0)))
            .orderBy(functions.col("end_time").desc())
            .select(functions.col(column).cast("double"))
            .takeAsList(limit);
    List<Double> values = new java.util.ArrayList<>();
    for (int i = rows.size() - 1; i >= 0; i--) {
      values.add(rows.get(i).getDouble(0));
    }
    return values;
  }

  private boolean exists() {
    return DeltaTable.isDeltaTable(spark, location);
  }
}
