package com.acme.warehouse.common.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Known values, as published or as R computes them (binom/fisher.test). */
class ProportionsTest {
  @Test
  void wilsonIntervalOfEightOutOfTen() {
    Proportions.Interval ci = Proportions.wilson(8, 10, 0.95);

    assertThat(ci.low).isCloseTo(0.4902, within(1e-4));
    assertThat(ci.high).isCloseTo(0.9433, within(1e-4));
  }

  @Test
  void wilsonStaysInsideZeroAndOne() {
    Proportions.Interval none = Proportions.wilson(0, 20, 0.95);
    Proportions.Interval all = Proportions.wilson(20, 20, 0.95);

    assertThat(none.low).isEqualTo(0.0);
    assertThat(none.high).isCloseTo(0.1611, within(1e-4));
    assertThat(all.high).isEqualTo(1.0);
    assertThat(all.low).isCloseTo(0.8389, within(1e-4));
  }

  @Test
  void fisherExactTwoSided() {
    // The tea-tasting style table of the Fisher exact test's Wikipedia article: p = 0.002759.
    assertThat(Proportions.fisherTwoSided(1, 9, 11, 3)).isCloseTo(0.002759, within(1e-6));
    assertThat(Proportions.fisherTwoSided(3, 1, 1, 3)).isCloseTo(0.4857, within(1e-4));
    assertThat(Proportions.fisherTwoSided(10, 10, 10, 10)).isCloseTo(1.0, within(1e-12));
    // R: fisher.test(matrix(c(659, 445, 439, 1367), 2))$p.value is far below 1e-50.
    assertThat(Proportions.fisherTwoSided(659, 439, 445, 1367)).isLessThan(1e-50);
  }

  @Test
  void degenerateTablesHaveNoEvidence() {
    assertThat(Proportions.fisherTwoSided(0, 0, 5, 5)).isEqualTo(1.0);
    assertThat(Proportions.fisherTwoSided(5, 0, 5, 0)).isEqualTo(1.0);
    assertThat(Double.isNaN(Proportions.wilson(0, 0, 0.95).low)).isTrue();
  }
}
