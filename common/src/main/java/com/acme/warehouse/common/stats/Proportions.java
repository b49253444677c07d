package com.acme.warehouse.common.stats;

import org.apache.commons.math3.distribution.HypergeometricDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;

/**
 * Statistics of proportions, exact where it matters: the Wilson score interval of one proportion,
 * and the two-sided Fisher exact test of two (no normal approximation: the p-value sums the
 * hypergeometric probabilities of every table at least as extreme as the one observed).
 */
public final class Proportions {
  /** Relative tolerance when comparing table probabilities, as R's fisher.test does. */
  private static final double RELATIVE_ERROR = 1 + 1e-7;

  private Proportions() {}

  /** A two-sided confidence interval. */
  public static final class Interval {
    public final double low;
    public final double high;

    Interval(double low, double high) {
      this.low = low;
      this.high = high;
    }
  }

  /** The Wilson score interval of {@code successes} out of {@code trials}. */
  public static Interval wilson(long successes, long trials, double confidence) {
    if (trials == 0) {
      return new Interval(Double.NaN, Double.NaN);
    }
    double z = new NormalDistribution().inverseCumulativeProbability(1 - (1 - confidence) / 2);
    double n = trials;
    double p = successes / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator;
    return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /**
   * The two-sided Fisher exact p-value of the 2×2 table [[a, b], [c, d]] (rows: groups; columns:
   * success, failure).
   */
  public static double fisherTwoSided(long a, long b, long c, long d) {
    int n = Math.toIntExact(a + b + c + d);
    int successes = Math.toIntExact(a + c);
    int firstRow = Math.toIntExact(a + b);
    if (n == 0 || successes == 0 || successes == n || firstRow == 0 || firstRow == n) {
      return 1.0;
    }
    HypergeometricDistribution table = new HypergeometricDistribution(null, n, successes, firstRow);
    double observed = table.probability(Math.toIntExact(a));
    double p = 0;
    for (int k = table.getSupportLowerBound(); k <= table.getSupportUpperBound(); k++) {
      double probability = table.probability(k);
      if (probability <= observed * RELATIVE_ERROR) {
        p += probability;
      }
    }
    return Math.min(1.0, p);
  }
}
