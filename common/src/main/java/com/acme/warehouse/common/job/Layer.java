package com.acme.warehouse.common.job;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a job sits in the medallion flow. Utility jobs are run by name, never by {@code pipeline}.
 */
public enum Layer {
  BRONZE,
  SILVER,
  GOLD,
  PUBLISH,
  UTILITY;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean inPipeline() {
    return this != UTILITY;
  }

  public static Optional<Layer> parse(String text) {
    return Arrays.stream(values()).filter(l -> l.id().equals(text)).findFirst();
  }

  public static String ids() {
    return Arrays.stream(values()).map(Layer::id).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return id();
  }
}
