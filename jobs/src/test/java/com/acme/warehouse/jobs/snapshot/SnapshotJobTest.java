package com.acme.warehouse.jobs.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The {@code snapshot} job end to end: a CSV full extract historised over three deliveries. */
class SnapshotJobTest extends SparkTestBase {
  @Test
  void aFullExtractBecomesAHistoryWithDeletesAndRevivals() throws IOException {
    Path csv = tempDir.resolve("customers.csv");
    String target = path("customers-history");
    JobsCli cli = new JobsCli(spark, path("raw"), path("warehouse"));
    cli.always(
        "--set", "snapshot.source.path=" + csv,
        "--set", "snapshot.source.format=csv",
        "--set", "snapshot.source.options.header=true",
        "--set", "snapshot.source.options.inferSchema=true",
        "--set", "snapshot.target.path=" + target,
        "--set", "snapshot.keys=[customer_id]",
        "--set", "snapshot.check-columns=[segment]",
        "--set", "snapshot.hard-deletes=new_record",
        "--set", "snapshot.full-extract=true");

    Files.writeString(csv, "customer_id,segment\n1,retail\n2,retail\n");
    assertThat(cli.run("snapshot", "--set", "snapshot.effective-time=2024-01-01T00:00:00Z"))
        .as(cli.err())
        .isEqualTo(0);
    Files.writeString(csv, "customer_id,segment\n1,wholesale\n");
    assertThat(cli.run("snapshot", "--set", "snapshot.effective-time=2024-02-01")).isEqualTo(0);
    Files.writeString(csv, "customer_id,segment\n1,wholesale\n2,retail\n");
    assertThat(cli.run("snapshot", "--set", "snapshot.effective-time=2024-03-01T00:00:00Z"))
        .isEqualTo(0);

    String ddl =
        "customer_id INT, segment STRING, valid_from TIMESTAMP, valid_to TIMESTAMP, is_current BOOLEAN, is_deleted BOOLEAN";
    assertSameRows(
        df(
            ddl,
            "{\"customer_id\":1,\"segment\":\"retail\",\"valid_from\":\"2024-01-01T00:00:00Z\",\"valid_to\":\"2024-02-01T00:00:00Z\",\"is_current\":false,\"is_deleted\":false}",
            "{\"customer_id\":1,\"segment\":\"wholesale\",\"valid_from\":\"2024-02-01T00:00:00Z\",\"is_current\":true,\"is_deleted\":false}",
            "{\"customer_id\":2,\"segment\":\"retail\",\"valid_from\":\"2024-01-01T00:00:00Z\",\"valid_to\":\"2024-02-01T00:00:00Z\",\"is_current\":false,\"is_deleted\":false}",
            "{\"customer_id\":2,\"segment\":\"retail\",\"valid_from\":\"2024-02-01T00:00:00Z\",\"valid_to\":\"2024-03-01T00:00:00Z\",\"is_current\":false,\"is_deleted\":true}",
            "{\"customer_id\":2,\"segment\":\"retail\",\"valid_from\":\"2024-03-01T00:00:00Z\",\"is_current\":true,\"is_deleted\":false}"),
        spark
            .read()
            .format("delta")
            .load(target)
            .select(
                "customer_id", "segment", "valid_from", "valid_to", "is_current", "is_deleted"));
    assertThat(cli.lastRun("snapshot").<String>getAs("details"))
        .contains("\"versions_inserted\":1")
        .contains("\"deletes\":0");
  }

  @Test
  void everyMissingOrContradictorySettingIsNamed() {
    JobsCli cli = new JobsCli(spark, path("raw"), path("warehouse"));

    int code =
        cli.run(
            "snapshot",
            "--set",
            "snapshot.strategy=timestamp",
            "--set",
            "snapshot.hard-deletes=invalidate");

    assertThat(code).isEqualTo(2);
    assertThat(cli.err())
        .contains("snapshot.source.path: must not be empty")
        .contains("snapshot.target.path: must not be empty")
        .contains("snapshot.keys: must name at least one business key column")
        .contains("snapshot.updated-at: must be set when snapshot.strategy = timestamp")
        .contains("snapshot.full-extract: must be true when snapshot.hard-deletes = invalidate")
        .contains("snapshot.effective-time: must be set when snapshot.hard-deletes = invalidate");
  }
}
