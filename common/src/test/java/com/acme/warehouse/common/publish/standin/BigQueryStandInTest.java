package com.acme.warehouse.common.publish.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.warehouse.common.testing.SparkTestBase;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stand-in holds the real spark-bigquery connector to BigQuery's documented rules: the writes
 * the suite made before it had the stand-in (connector options only) fail here as they fail in
 * BigQuery, and the rules that make partition writes safe hold.
 */
class BigQueryStandInTest extends SparkTestBase {
  private static final String PROJECT = "acme-rules";
  private static final String DDL = "id BIGINT, created_at TIMESTAMP";
  private static BigQueryStandIn bigQuery;

  @BeforeAll
  static void startBigQuery() {
    bigQuery = BigQueryStandIn.start(spark);
    bigQuery.createDataset(PROJECT, "d");
  }

  @AfterAll
  static void stopBigQuery() {
    bigQuery.close();
  }

  @AfterEach
  void everyRequestWasServed() {
    assertThat(bigQuery.takeUnsupported()).isEmpty();
  }

  private static Dataset<Row> rows(String... days) {
    String[] json = new String[days.length];
    for (int i = 0; i < days.length; i++) {
      json[i] = "{\"id\":" + i + ",\"created_at\":\"" + days[i] + "T08:00:00Z\"}";
    }
    return df(DDL, json);
  }

  /** The connector, aimed at the stand-in, staging through a local folder. */
  private static DataFrameWriter<Row> connector(Dataset<Row> rows, String table, SaveMode mode) {
    return rows.write()
        .format("bigquery")
        .mode(mode)
        .option("table", PROJECT + ".d." + table)
        .option("parentProject", PROJECT)
        .option("bigQueryHttpEndpoint", bigQuery.endpoint())
        .option("gcpAccessToken", "emulator")
        .option("temporaryGcsBucket", "file://" + path("staging"))
        .option("intermediateFormat", "parquet")
        .option("writeMethod", "indirect")
        .option("spark.sql.sources.partitionOverwriteMode", "STATIC");
  }

  private static Throwable rootCause(Throwable e) {
    Throwable cause = e;
    StringBuilder messages = new StringBuilder();
    while (cause != null) {
      messages.append(cause.getMessage()).append('\n');
      cause = cause.getCause();
    }
    return new AssertionError(messages.toString());
  }

  @Test
  void aWholeTableTruncateWithSchemaUpdateOptionsIsRefused() {
    connector(rows("2024-01-01"), "truncate_options", SaveMode.Overwrite)
        .option("partitionField", "created_at")
        .save();

    assertThatThrownBy(
            () ->
                connector(rows("2024-01-02"), "truncate_options", SaveMode.Overwrite)
                    .option("allowFieldAddition", "true")
                    .save())
        .extracting(BigQueryStandInTest::rootCause)
        .asString()
        .contains(
            "Schema update options should only be specified with WRITE_APPEND disposition, or"
                + " with WRITE_TRUNCATE disposition on a table partition.");
    assertThat(bigQuery.table(PROJECT + ".d.truncate_options").orElseThrow().rows())
        .extracting(row -> row.get("id"))
        .containsExactly(0L);
  }

  @Test
  void theConnectorsDynamicOverwriteWithPartitionOptionsIsRefused() {
    connector(rows("2024-01-01", "2024-01-02"), "dynamic", SaveMode.Overwrite)
        .option("partitionField", "created_at")
        .option("partitionType", "DAY")
        .save();

    // The connector loads into an unpartitioned temporary table with the partition options.
    assertThatThrownBy(
            () ->
                connector(rows("2024-01-02"), "dynamic", SaveMode.Overwrite)
                    .option("partitionField", "created_at")
                    .option("partitionType", "DAY")
                    .option("spark.sql.sources.partitionOverwriteMode", "DYNAMIC")
                    .save())
        .extracting(BigQueryStandInTest::rootCause)
        .asString()
        .contains(
            "Incompatible table partitioning specification. Expects partitioning specification"
                + " none, but input partitioning specification is"
                + " interval(type:day,field:created_at)");
    assertThat(bigQuery.table(PROJECT + ".d.dynamic").orElseThrow().partitions())
        .containsOnlyKeys("20240101", "20240102");
  }

  @Test
  void appendingMoreColumnsThanTheTableHasNeedsFieldAddition() {
    connector(rows("2024-01-01"), "appended", SaveMode.Overwrite).save();
    Dataset<Row> wider = rows("2024-01-02").selectExpr("*", "'x' AS note");

    assertThatThrownBy(() -> connector(wider, "appended", SaveMode.Append).save())
        .extracting(BigQueryStandInTest::rootCause)
        .asString()
        .contains(
            "Provided Schema does not match Table acme-rules:d.appended. Cannot add fields"
                + " (field: note)");

    connector(wider, "appended", SaveMode.Append).option("allowFieldAddition", "true").save();
    Map<Object, Object> notes = new TreeMap<>();
    bigQuery
        .table(PROJECT + ".d.appended")
        .orElseThrow()
        .rows()
        .forEach(row -> notes.put(row.get("created_at").toString(), row.get("note")));
    assertThat(notes)
        .containsEntry("2024-01-01T08:00:00Z", null)
        .containsEntry("2024-01-02T08:00:00Z", "x");
  }

  @Test
  void aPartitionDecoratorReplacesThatPartitionOnlyAndRefusesRowsOfOthers() {
    connector(rows("2024-01-01", "2024-01-02"), "decorated", SaveMode.Overwrite)
        .option("partitionField", "created_at")
        .save();

    connector(rows("2024-01-02", "2024-01-02"), "decorated$20240102", SaveMode.Overwrite).save();
    assertThat(bigQuery.table(PROJECT + ".d.decorated").orElseThrow().partitions())
        .hasEntrySatisfying("20240101", rows -> assertThat(rows).hasSize(1))
        .hasEntrySatisfying("20240102", rows -> assertThat(rows).hasSize(2));

    assertThatThrownBy(
            () -> connector(rows("2024-01-03"), "decorated$20240102", SaveMode.Overwrite).save())
        .extracting(BigQueryStandInTest::rootCause)
        .asString()
        .contains("Some rows belong to different partitions rather than destination partition");
  }

  @Test
  void aMissingTableIsNotCreatedByALoadThatSaysCreateNever() {
    assertThatThrownBy(
            () ->
                connector(rows("2024-01-01"), "never", SaveMode.Overwrite)
                    .option("createDisposition", "CREATE_NEVER")
                    .save())
        .extracting(BigQueryStandInTest::rootCause)
        .asString()
        .contains("Create Disposition is CREATE_NEVER and the table does not exists");
    assertThat(bigQuery.table(PROJECT + ".d.never")).isEmpty();
  }
}
