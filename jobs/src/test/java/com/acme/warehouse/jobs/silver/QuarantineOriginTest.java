package com.acme.warehouse.jobs.silver;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A quarantined row is keyed by file, line, record checksum and rule: a file delivered again with
 * another bad record on a line already quarantined keeps both, and the same records seen again (a
 * rerun, another run id) add nothing.
 */
class QuarantineOriginTest extends SparkTestBase {
  private static final String BRONZE =
      "_source_file STRING, _line_number BIGINT, _record_sha256 STRING, _run_id STRING,"
          + " user_id STRING, rule STRING, reason STRING";

  private static Dataset<Row> rejected(String... rows) {
    return df(BRONZE, rows);
  }

  private static String row(String sha, String run, String userId) {
    return "{\"_source_file\":\"u.csv\",\"_line_number\":3,\"_record_sha256\":\""
        + sha
        + "\",\"_run_id\":\""
        + run
        + "\",\"user_id\":\""
        + userId
        + "\",\"rule\":\"user_id_not_bigint\",\"reason\":\"user_id '"
        + userId
        + "' is not a whole number\"}";
  }

  @Test
  void anotherBadRecordOnAnAlreadyQuarantinedLineIsKeptAndTheSameOneIsNotAddedTwice() {
    String location = path("users_quarantine");

    long first = Acceptance.quarantine(spark, rejected(row("aaa", "r1", "x1")), location, "r1");
    // The file comes again with other content: line 3 is another bad record.
    long redelivered =
        Acceptance.quarantine(spark, rejected(row("bbb", "r2", "x2")), location, "r2");
    // A rerun over both (another run id): nothing new.
    long rerun =
        Acceptance.quarantine(
            spark, rejected(row("aaa", "r3", "x1"), row("bbb", "r3", "x2")), location, "r3");

    assertThat(new long[] {first, redelivered, rerun}).containsExactly(1, 1, 0);
    assertSameRows(
        df(
            "_source_file STRING, _line_number BIGINT, _record_sha256 STRING, reason STRING",
            "{\"_source_file\":\"u.csv\",\"_line_number\":3,\"_record_sha256\":\"aaa\","
                + "\"reason\":\"user_id 'x1' is not a whole number\"}",
            "{\"_source_file\":\"u.csv\",\"_line_number\":3,\"_record_sha256\":\"bbb\","
                + "\"reason\":\"user_id 'x2' is not a whole number\"}"),
        spark
            .read()
            .format("delta")
            .load(location)
            .select("_source_file", "_line_number", "_record_sha256", "reason"));
  }
}
