package com.acme.warehouse.common.quality;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Flags a value far outside its recent history: outside {@code median ± k × spread} of the last
 * {@code window} values, where spread is the median absolute deviation scaled to a standard
 * deviation (× 1.4826), but never less than {@code minRelativeSpread × |median|} — so a series that
 * never moved does not flag a 0.1% wobble. Robust: one past outlier does not widen the band the way
 * a mean and standard deviation would. Fewer than {@code minHistory} values: not judged.
 */
public final class AnomalyRule {
  private static final double MAD_TO_SIGMA = 1.4826;

  private final int window;
  private final int minHistory;
  private final double k;
  private final double minRelativeSpread;

  public AnomalyRule(int window, int minHistory, double k, double minRelativeSpread) {
    this.window = window;
    this.minHistory = minHistory;
    this.k = k;
    this.minRelativeSpread = minRelativeSpread;
  }

  public int window() {
    return window;
  }

  /** The verdict on a value given its history (oldest first). */
  public static final class Verdict {
    public final boolean judged;
    public final boolean anomalous;
    public final double low;
    public final double high;
    public final String detail;

    Verdict(boolean judged, boolean anomalous, double low, double high, String detail) {
      this.judged = judged;
      this.anomalous = anomalous;
      this.low = low;
      this.high = high;
      this.detail = detail;
    }
  }

  public Verdict judge(double value, List<Double> history) {
    List<Double> recent = history.subList(Math.max(0, history.size() - window), history.size());
    if (recent.size() < minHistory) {
      return new Verdict(
          false,
          false,
          Double.NaN,
          Double.NaN,
          String.format(
              Locale.ROOT,
              "%s: %d earlier values, %d needed to judge",
              fmt(value),
              recent.size(),
              minHistory));
    }
    double median = median(recent);
    List<Double> deviations = new ArrayList<>();
    for (double v : recent) {
      deviations.add(Math.abs(v - median));
    }
    double spread =
        Math.max(median(deviations) * MAD_TO_SIGMA, minRelativeSpread * Math.abs(median));
    double low = median - k * spread;
    double high = median + k * spread;
    boolean anomalous = value < low || value > high;
    return new Verdict(
        true,
        anomalous,
        low,
        high,
        String.format(
            Locale.ROOT,
            "%s %s [%s, %s] (median %s of the last %d)",
            fmt(value),
            anomalous ? "outside" : "inside",
            fmt(low),
            fmt(high),
            fmt(median),
            recent.size()));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static String fmt(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? String.format(Locale.ROOT, "%.0f", value)
        : new java.math.BigDecimal(value)
            .round(new java.math.MathContext(4))
            .stripTrailingZeros()
            .toPlainString();
  }
}
