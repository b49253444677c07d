package com.acme.warehouse.jobs.sampledata;

/** Exact shares of a population for rare defects, so their counts do not depend on luck. */
final class Shares {
  private Shares() {}

  /** True for exactly {@code k} of the indices 0..count-1, evenly spread. */
  static boolean spread(long i, long count, long k) {
    return (i * k) / count != ((i + 1) * k) / count;
  }

  /**
   * How many of {@code count} entities get a rare defect: the rate's share, but at least one when
   * the rate is not zero, so every defect type is present even at a tiny test scale.
   */
  static long atLeastOne(long count, double rate) {
    return rate == 0 ? 0 : Math.min(count, Math.max(1, Math.round(count * rate)));
  }
}
