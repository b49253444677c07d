package com.acme.warehouse.jobs.sampledata;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic randomness for the generator. Each domain (and each independent stream inside it)
 * gets its own generator derived from the seed and a name, so adding a stream or a domain never
 * shifts the values of another: the same seed and scale always give the same bytes.
 */
final class Rng {
  private final SplittableRandom random;

  private Rng(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A generator for one named stream of one seed. */
  static Rng of(long seed, String stream) {
    long hash = 1125899906842597L;
    for (byte b : stream.getBytes(StandardCharsets.UTF_8)) {
      hash = 31 * hash + b;
    }
    return new Rng(mix(seed ^ mix(hash)));
  }

  /** SplitMix64's finaliser: a bijection on longs, so distinct inputs give distinct outputs. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  boolean chance(double probability) {
    return probability > 0 && random.nextDouble() < probability;
  }

  /** Uniform in [min, max]. */
  int between(int min, int max) {
    return min + random.nextInt(max - min + 1);
  }

  /** Uniform in [min, max]. */
  long between(long min, long max) {
    return min + random.nextLong(max - min + 1);
  }

  /** Uniform in [min, max). */
  double uniform(double min, double max) {
    return min + random.nextDouble() * (max - min);
  }

  double nextDouble() {
    return random.nextDouble();
  }

  /** Log-normal with the given median and spread (sigma of the underlying normal). */
  double logNormal(double median, double sigma) {
    return median * Math.exp(sigma * gaussian());
  }

  private double gaussian() {
    // Box-Muller; one value per call keeps the stream simple and deterministic.
    double u1 = 1.0 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
  }

  <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /** Picks by weight; weights need not sum to 1. */
  <T> T pick(List<T> items, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = random.nextDouble() * total;
    for (int i = 0; i < items.size(); i++) {
      x -= weights[i];
      if (x < 0) {
        return items.get(i);
      }
    }
    return items.get(items.size() - 1);
  }
}
