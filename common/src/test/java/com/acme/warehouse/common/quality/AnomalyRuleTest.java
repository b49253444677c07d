package com.acme.warehouse.common.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AnomalyRuleTest {
  private final AnomalyRule rule = new AnomalyRule(10, 5, 3.5, 0.01);

  @Test
  void aValueInsideAStableSeriesIsNotAnAnomaly() {
    AnomalyRule.Verdict verdict =
        rule.judge(1010, List.of(1000.0, 1020.0, 990.0, 1005.0, 1015.0, 995.0));

    assertThat(verdict.judged).isTrue();
    assertThat(verdict.anomalous).isFalse();
    assertThat(verdict.detail).startsWith("1010 inside [");
  }

  @Test
  void aSpikeIsAnAnomaly() {
    AnomalyRule.Verdict verdict =
        rule.judge(5000, List.of(1000.0, 1020.0, 990.0, 1005.0, 1015.0, 995.0));

    assertThat(verdict.anomalous).isTrue();
    assertThat(verdict.detail).startsWith("5000 outside [").contains("median 1003 of the last 6");
  }

  @Test
  void aDropToZeroIsAnAnomaly() {
    assertThat(rule.judge(0, List.of(100.0, 100.0, 101.0, 99.0, 100.0)).anomalous).isTrue();
  }

  @Test
  void aSeriesThatNeverMovedDoesNotFlagASmallWobble() {
    List<Double> flat = List.of(500.0, 500.0, 500.0, 500.0, 500.0);
    assertThat(rule.judge(505, flat).anomalous).as("1% floor on the spread").isFalse();
    assertThat(rule.judge(600, flat).anomalous).isTrue();
  }

  @Test
  void aSeriesTooShortIsNotJudged() {
    AnomalyRule.Verdict verdict = rule.judge(5000, List.of(1000.0, 1020.0));

    assertThat(verdict.judged).isFalse();
    assertThat(verdict.anomalous).isFalse();
    assertThat(verdict.detail).isEqualTo("5000: 2 earlier values, 5 needed to judge");
  }

  @Test
  void onlyTheLastWindowCounts() {
    List<Double> history =
        new java.util.ArrayList<>(List.of(1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0));
    history.addAll(
        List.of(1000.0, 1001.0, 999.0, 1000.0, 1002.0, 998.0, 1000.0, 1001.0, 999.0, 1000.0));

    assertThat(rule.judge(1000, history).anomalous).isFalse();
  }
}
