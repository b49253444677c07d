package com.acme.warehouse.common.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.junit.jupiter.api.Test;
import scala.Option;

/**
 * Skipped runs' records wait for the run log's next commit: the next appended record carries them,
 * or the command's flush at its end. Nothing kept is lost or written twice.
 */
class RunLogCommitsTest extends SparkTestBase {
  private static RunRecord record(String runId, String status) {
    Instant start = Instant.parse("2024-01-01T00:00:00Z");
    return RunRecord.builder()
        .runId(runId)
        .job("job-" + runId)
        .layer("silver")
        .env("test")
        .start(start)
        .end(start.plusSeconds(1))
        .status(status)
        .details(Map.of())
        .build();
  }

  private long version(String location) {
    return DeltaLog.forTable(spark, location)
        .update(false, Option.empty(), Option.empty())
        .version();
  }

  private List<String> runIds(RunLog log) {
    return log.read().orderBy("run_id").select("run_id").as(Encoders.STRING()).collectAsList();
  }

  @Test
  void keptRecordsGoWithTheNextAppendOrTheFlushInOneCommitEach() {
    String location = path("run_log");
    RunLog log = new RunLog(spark, location);
    log.append(record("a", RunRecord.SUCCEEDED));
    assertThat(version(location)).isZero();

    log.appendLater(record("b", RunRecord.SKIPPED));
    log.appendLater(record("c", RunRecord.SKIPPED));
    assertThat(runIds(log)).containsExactly("a");
    log.append(record("d", RunRecord.SUCCEEDED));
    assertThat(version(location)).isEqualTo(1);
    assertThat(runIds(log)).containsExactly("a", "b", "c", "d");

    log.appendLater(record("e", RunRecord.SKIPPED));
    log.appendLater(record("f", RunRecord.SKIPPED));
    log.flush();
    assertThat(version(location)).isEqualTo(2);
    log.flush();
    assertThat(version(location)).isEqualTo(2);
    Row e = log.read().where("run_id = 'e'").first();
    assertThat(e.<String>getAs("status")).isEqualTo(RunRecord.SKIPPED);
    assertThat(e.<String>getAs("job")).isEqualTo("job-e");
    assertThat(runIds(log)).containsExactly("a", "b", "c", "d", "e", "f");
  }
}
