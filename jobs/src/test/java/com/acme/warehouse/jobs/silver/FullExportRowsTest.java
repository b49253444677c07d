package com.acme.warehouse.jobs.silver;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Rows of full exports that cannot be historised go to quarantine with a reason instead of being
 * left out or stopping the job: a file outside any {@code dt=} folder (a full export is dated by
 * its folder: that date is when its rows take effect and which export it is compared with to find
 * deletes; its rows were silently left out before), and rows that would rewrite a version (the SCD2
 * merge refused them, failing the whole job until someone fixed the file by hand).
 */
class FullExportRowsTest extends SparkTestBase {
  private static final String TYPED =
      "_source_file STRING, _line_number BIGINT, _record_sha256 STRING, _run_id STRING,"
          + " _delivery_date DATE, user_id STRING, _t_user_id BIGINT, rule STRING, reason STRING";

  @Test
  void aRowOfAFileOutsideADeliveryFolderIsQuarantinedNamingTheFile() {
    Dataset<Row> typed =
        df(
            TYPED,
            "{\"_source_file\":\"raw/users/dt=2024-03-01/users.csv\",\"_line_number\":2,"
                + "\"_record_sha256\":\"a\",\"_run_id\":\"r1\",\"_delivery_date\":\"2024-03-01\","
                + "\"user_id\":\"1\",\"_t_user_id\":1}",
            "{\"_source_file\":\"raw/users/users.csv\",\"_line_number\":2,"
                + "\"_record_sha256\":\"b\",\"_run_id\":\"r1\",\"user_id\":\"2\",\"_t_user_id\":2}");
    String quarantine = path("users_quarantine");

    Acceptance.Accepted accepted =
        Acceptance.acceptExport(spark, typed, List.of("user_id"), quarantine, "r1");

    assertThat(new long[] {accepted.read, accepted.rejected, accepted.distinct})
        .containsExactly(2, 1, 1);
    assertSameRows(
        df(
            "user_id BIGINT, _delivery_date DATE",
            "{\"user_id\":1,\"_delivery_date\":\"2024-03-01\"}"),
        accepted.rows);
    assertSameRows(
        df(
            "_source_file STRING, rule STRING, reason STRING",
            "{\"_source_file\":\"raw/users/users.csv\",\"rule\":\"delivery_date_missing\","
                + "\"reason\":\"'raw/users/users.csv' is not in a dt=YYYY-MM-DD delivery folder:"
                + " a full export is dated by its folder\"}"),
        spark.read().format("delta").load(quarantine).select("_source_file", "rule", "reason"));
  }

  @Test
  void rowsThatWouldRewriteAVersionAreQuarantinedAndTheSameVersionAgainIsNot() {
    String silver = path("users");
    df(
            "user_id BIGINT, name STRING, updated_at TIMESTAMP, valid_from TIMESTAMP,"
                + " valid_to TIMESTAMP, is_current BOOLEAN, is_deleted BOOLEAN,"
                + " version_key STRING",
            version(1, "\"Ann\""),
            version(4, "null"),
            version(5, "\"Eve\""))
        .write()
        .format("delta")
        .save(silver);
    Dataset<Row> typed =
        df(
            "_source_file STRING, _line_number BIGINT, _t_user_id BIGINT, _t_name STRING,"
                + " _t_updated_at TIMESTAMP, rule STRING, reason STRING",
            batchRow(2, 1, "\"Anne\"", "2024-01-01"), // a correction without a new updated_at
            batchRow(3, 2, "\"Bo\"", "2024-01-05"), // two different rows of one version
            batchRow(4, 2, "\"Bob\"", "2024-01-05"),
            batchRow(5, 3, "\"Cy\"", "2024-01-05"), // new: fine
            batchRow(6, 4, "null", "2024-01-01"), // the version already there, NULL and all
            batchRow(7, 5, "\"Eve\"", "2024-01-01")); // likewise

    Dataset<Row> marked =
        TypedRows.withVersionConflicts(spark, typed, List.of("user_id"), "updated_at", silver);

    assertThat(
            marked.orderBy("_line_number").select("_line_number", "rule", "reason").collectAsList())
        .extracting(r -> r.getLong(0) + " " + r.getString(1) + " " + r.getString(2))
        .containsExactly(
            "2 conflicting_version user_id 1 at updated_at 2024-01-01T00:00:00.000000Z differs"
                + " from the version already in silver (a correction needs a new updated_at)",
            "3 conflicting_version user_id 2 at updated_at 2024-01-05T00:00:00.000000Z has 2"
                + " different rows",
            "4 conflicting_version user_id 2 at updated_at 2024-01-05T00:00:00.000000Z has 2"
                + " different rows",
            "5 null null",
            "6 null null",
            "7 null null");
  }

  private static String version(long userId, String name) {
    return "{\"user_id\":"
        + userId
        + ",\"name\":"
        + name
        + ",\"updated_at\":\"2024-01-01T00:00:00Z\",\"valid_from\":\"2024-01-01T00:00:00Z\","
        + "\"is_current\":true,\"is_deleted\":false,\"version_key\":\"k"
        + userId
        + "\"}";
  }

  private static String batchRow(long line, long userId, String name, String day) {
    return "{\"_source_file\":\"u.csv\",\"_line_number\":"
        + line
        + ",\"_t_user_id\":"
        + userId
        + ",\"_t_name\":"
        + name
        + ",\"_t_updated_at\":\""
        + day
        + "T00:00:00Z\"}";
  }
}
