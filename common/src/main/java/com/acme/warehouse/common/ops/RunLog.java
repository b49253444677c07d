package com.acme.warehouse.common.ops;

import com.acme.warehouse.common.spark.DriverRows;
import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
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

  /** Distinct jobs the run log may name (the suite has under a hundred). */
  private static final int MAX_JOBS = 10_000;

  private final SparkSession spark;
  private final String location;
  private Map<String, Row> latestSuccesses;
  private final Map<String, Map<String, List<Double>>> recentValues = new HashMap<>();
  private final List<RunRecord> kept = new ArrayList<>();

  public RunLog(SparkSession spark, String location) {
    this.spark = spark;
    this.location = location;
  }

  public String location() {
    return location;
  }

  /**
   * Appends one record, together with every record kept by {@link #appendLater}, in one commit.
   * When the commit fails, the kept records stay kept for the next append or {@link #flush}.
   */
  public void append(RunRecord record) {
    write(List.of(record));
  }

  /**
   * Keeps a record to be written with the next {@link #append} or {@link #flush}, for runs nothing
   * later depends on (skipped ones: they change no table and no watermark). A rerun with nothing
   * new then commits to the run log once instead of once per job (~0.5 s each). A command killed
   * before its flush loses these rows only; the next run decides again what to skip.
   */
  public void appendLater(RunRecord record) {
    synchronized (kept) {
      kept.add(record);
    }
  }

  /** Writes the records kept by {@link #appendLater}, if any, in one commit. */
  public void flush() {
    write(List.of());
  }

  private void write(List<RunRecord> records) {
    List<RunRecord> earlier;
    synchronized (kept) {
      earlier = new ArrayList<>(kept);
      kept.clear();
    }
    List<Row> rows =
        Stream.concat(earlier.stream(), records.stream())
            .map(RunLog::row)
            .collect(Collectors.toList());
    if (rows.isEmpty()) {
      return;
    }
    try {
      commit(spark.createDataFrame(rows, SCHEMA).coalesce(1));
    } catch (RuntimeException e) {
      synchronized (kept) {
        kept.addAll(0, earlier);
      }
      throw e;
    }
  }

  /**
   * Appends rows. Appends commute in Delta, but two first runs may race to create the table; the
   * loser retries.
   */
  private void commit(Dataset<Row> frame) {
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

  private static Row row(RunRecord record) {
    return RowFactory.create(
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
    return Optional.ofNullable(latestSuccesses().get(job)).map(latest -> latest.getString(3));
  }

  /**
   * The fingerprint and run id of the job's latest successful run, if it recorded a fingerprint
   * (skipped runs do not count: they repeat the one before).
   */
  public Optional<Map.Entry<String, RunFingerprint>> lastFingerprint(String job) {
    Row latest = latestSuccesses().get(job);
    if (latest == null) {
      return Optional.empty();
    }
    return RunFingerprint.fromDetails(latest.getString(2))
        .map(fingerprint -> Map.entry(latest.getString(1), fingerprint));
  }

  /**
   * Per job: the run id and details of its latest successful run, and the latest watermark a
   * successful run recorded. One query for every job, on first use, kept for this run log's life
   * (one command): a job's own earlier runs cannot change while the command runs it.
   */
  private synchronized Map<String, Row> latestSuccesses() {
    if (latestSuccesses != null) {
      return latestSuccesses;
    }
    Map<String, Row> latest = new HashMap<>();
    if (exists()) {
      Column end = functions.col("end_time");
      Dataset<Row> rows =
          read()
              .where(functions.col("status").equalTo(RunRecord.SUCCEEDED))
              .groupBy("job")
              .agg(
                  functions.max_by(functions.col("run_id"), end),
                  functions.max_by(functions.col("details"), end),
                  // max_by ignores the runs whose ordering value is NULL: those without a
                  // watermark.
                  functions.max_by(
                      functions.col("watermark_after"),
                      functions.when(functions.col("watermark_after").isNotNull(), end)));
      for (Row row : DriverRows.atMost(rows, MAX_JOBS, "jobs in the run log")) {
        latest.put(row.getString(0), row);
      }
    }
    latestSuccesses = latest;
    return latest;
  }

  /**
   * A numeric column of the job's last successful runs of one kind (full refresh or incremental)
   * whose value is above zero, oldest first. Like {@link #latestSuccesses()}, one query for every
   * job on first use, kept for this run log's life (one command), instead of a scan per job.
   */
  public synchronized List<Double> recentValues(
      String job, String column, int limit, boolean fullRefresh) {
    return recentValues
        .computeIfAbsent(column + "/" + limit, key -> recentValuesOfEveryJob(column, limit))
        .getOrDefault(job + "/" + fullRefresh, List.of());
  }

  private Map<String, List<Double>> recentValuesOfEveryJob(String column, int limit) {
    Map<String, List<Double>> byJobAndKind = new HashMap<>();
    if (!exists()) {
      return byJobAndKind;
    }
    Column kind = functions.coalesce(functions.col("full_refresh"), functions.lit(false));
    Dataset<Row> recent =
        read()
            .where(
                functions
                    .col("status")
                    .equalTo(RunRecord.SUCCEEDED)
                    .and(functions.col(column).gt(0)))
            .select(
                functions.col("job"),
                kind.as("full_refresh"),
                functions.col(column).cast("double").as("value"),
                functions.col("end_time"),
                functions
                    .row_number()
                    .over(
                        Window.partitionBy(functions.col("job"), kind)
                            .orderBy(functions.col("end_time").desc()))
                    .as("newest"))
            .where(functions.col("newest").leq(limit))
            .orderBy("job", "full_refresh", "end_time");
    for (Row row : DriverRows.atMost(recent, 2 * MAX_JOBS * limit, "recent runs in the run log")) {
      byJobAndKind
          .computeIfAbsent(row.getString(0) + "/" + row.getBoolean(1), key -> new ArrayList<>())
          .add(row.getDouble(2));
    }
    return byJobAndKind;
  }

  private boolean exists() {
    return DeltaTable.isDeltaTable(spark, location);
  }
}
