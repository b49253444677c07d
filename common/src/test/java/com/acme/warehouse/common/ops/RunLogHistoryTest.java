package com.acme.warehouse.common.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.quality.AnomalyRule;
import com.acme.warehouse.common.testing.SparkTestBase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The row-count anomaly watch compares a run only with comparable runs: the same kind (full refresh
 * or incremental) that wrote something. With empty incremental runs in the history the median was
 * 0, and every ordinary run that wrote rows was flagged.
 */
class RunLogHistoryTest extends SparkTestBase {
  private static void run(
      RunLog log, int minute, boolean fullRefresh, long written, String status) {
    Instant start = Instant.parse("2024-01-01T00:00:00Z").plusSeconds(60L * minute);
    log.append(
        RunRecord.builder()
            .runId("r" + minute)
            .job("j")
            .layer("silver")
            .env("test")
            .start(start)
            .end(start.plusSeconds(1))
            .status(status)
            .fullRefresh(fullRefresh)
            .rowsWritten(written)
            .details(Map.of())
            .build());
  }

  @Test
  void historyHoldsOnlySuccessfulNonEmptyRunsOfTheSameKind() {
    RunLog log = new RunLog(spark, path("run_log"));
    run(log, 0, true, 5000, RunRecord.SUCCEEDED);
    for (int minute = 1; minute <= 6; minute++) {
      run(log, minute, false, 0, RunRecord.SUCCEEDED); // nothing new, most days
    }
    run(log, 7, false, 40, RunRecord.SUCCEEDED);
    run(log, 8, false, 999, RunRecord.FAILED);
    run(log, 9, false, 50, RunRecord.SUCCEEDED);
    run(log, 10, true, 5100, RunRecord.SUCCEEDED);

    assertThat(log.recentValues("j", "rows_written", 10, false)).containsExactly(40.0, 50.0);
    assertThat(log.recentValues("j", "rows_written", 10, true)).containsExactly(5000.0, 5100.0);
    assertThat(log.recentValues("j", "rows_written", 1, false)).containsExactly(50.0);

    // The zero median that flagged every ordinary run is gone: 45 is judged against 40 and 50.
    AnomalyRule rule = new AnomalyRule(10, 2, 3.5, 0.01);
    assertThat(rule.judge(45, log.recentValues("j", "rows_written", 10, false)).anomalous)
        .isFalse();
    assertThat(rule.judge(45, List.of(0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 40.0, 50.0)).anomalous)
        .isTrue();
  }
}
