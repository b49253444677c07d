package com.acme.warehouse.common.ops;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

/**
 * The effective configurations that runs used, under {@code <warehouse>/_ops/configs}: one row per
 * distinct configuration, its text masked as {@code --verbose} prints it, keyed by the digest of
 * that text. Every run-log row names its configuration's id ({@code details.config}), so "what was
 * this run configured with?" is a join, and an unchanged configuration costs one small read per
 * command instead of hundreds of lines per job.
 */
public final class ConfigLog {
  public static final StructType SCHEMA =
      StructType.fromDDL(
          "config_id STRING NOT NULL, first_used TIMESTAMP, first_pipeline_id STRING, env STRING,"
              + " effective_config STRING");
  public static final String DETAIL = "config";
  private static final int ATTEMPTS = 3;

  private final SparkSession spark;
  private final String location;

  public ConfigLog(SparkSession spark, String location) {
    this.spark = spark;
    this.location = location;
  }

  /** The id of a configuration: the SHA-256 of its masked lines. */
  public static String idOf(List<String> maskedLines) {
    return RunFingerprint.digest(String.join("\n", maskedLines));
  }

  /**
   * Records the configuration unless it is recorded already; returns its id. Two commands that
   * start with the same new configuration at once both try: the second one's insert finds the row
   * (a MERGE that inserts only when the id is absent), so the id stays unique.
   */
  public String record(List<String> maskedLines, Instant at, String pipelineId, String env) {
    String id = idOf(maskedLines);
    Dataset<Row> row =
        spark
            .createDataFrame(
                List.of(
                    RowFactory.create(
                        id, Timestamp.from(at), pipelineId, env, String.join("\n", maskedLines))),
                SCHEMA)
            .coalesce(1);
    for (int attempt = 1; ; attempt++) {
      try {
        if (!DeltaTable.isDeltaTable(spark, location)) {
          row.write().format("delta").mode("append").save(location);
        } else if (!recorded(id)) {
          DeltaTable.forPath(spark, location)
              .as("recorded")
              .merge(row.as("used"), "recorded.config_id = used.config_id")
              .whenNotMatched()
              .insertAll()
              .execute();
        }
        return id;
      } catch (DeltaConcurrentModificationException e) {
        if (attempt >= ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Every configuration recorded, or an empty frame when none is. */
  public Dataset<Row> read() {
    if (!DeltaTable.isDeltaTable(spark, location)) {
      return spark.createDataFrame(List.of(), SCHEMA);
    }
    return spark.read().format("delta").load(location);
  }

  private boolean recorded(String id) {
    return !read().where(functions.col("config_id").equalTo(id)).limit(1).isEmpty();
  }
}
