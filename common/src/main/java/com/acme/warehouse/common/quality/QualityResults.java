package com.acme.warehouse.common.quality;

import static org.apache.spark.sql.functions.col;

import io.delta.exceptions.DeltaConcurrentModificationException;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Every check result, appended to the Delta table {@code <warehouse>/_ops/quality_results} so
 * results can be charted over time and metrics compared with their history.
 */
public final class QualityResults {
  public static final StructType SCHEMA =
      StructType.fromDDL(
          "run_id STRING NOT NULL, job STRING NOT NULL, table_id STRING NOT NULL, check STRING NOT NULL,"
              + " check_type STRING, severity STRING, status STRING NOT NULL, offending BIGINT,"
              + " checked BIGINT, value DOUBLE, detail STRING, sample ARRAY<STRING>,"
              + " checked_at TIMESTAMP");
  private static final int APPEND_ATTEMPTS = 3;

  private final SparkSession spark;
  private final String location;

  public QualityResults(SparkSession spark, String location) {
    this.spark = spark;
    this.location = location;
  }

  public void append(String runId, String job, Instant at, List<CheckResult> results) {
    if (results.isEmpty()) {
      return;
    }
    List<Row> rows = new ArrayList<>();
    for (CheckResult r : results) {
      rows.add(
          RowFactory.create(
              runId,
              job,
              r.table(),
              r.check(),
              r.type(),
              r.severity().name().toLowerCase(java.util.Locale.ROOT),
              r.status(),
              r.offending(),
              r.checked(),
              r.value(),
              r.detail(),
              scala.collection.JavaConverters.asScalaBuffer(r.sample()).toList(),
              Timestamp.from(at)));
    }
    Dataset<Row> frame = spark.createDataFrame(rows, SCHEMA).coalesce(1);
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

  public Dataset<Row> read() {
    if (!DeltaTable.isDeltaTable(spark, location)) {
      return spark.createDataFrame(List.of(), SCHEMA);
    }
    return spark.read().format("delta").load(location);
  }

  /** The last {@code limit} recorded values of one metric of one table, oldest first. */
  public List<Double> history(String table, String check, int limit) {
    List<Row> rows =
        read()
            .where(
                col("table_id")
                    .equalTo(table)
                    .and(col("check").equalTo(check))
                    .and(col("value").isNotNull()))
            .orderBy(col("checked_at").desc())
            .select("value")
            .takeAsList(limit);
    List<Double> values = new ArrayList<>();
    for (int i = rows.size() - 1; i >= 0; i--) {
      values.add(rows.get(i).getDouble(0));
    }
    return values;
  }
}
