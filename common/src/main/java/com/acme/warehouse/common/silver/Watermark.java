package com.acme.warehouse.common.silver;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A job's watermark as the run log stores it: {@code key=value} pairs joined by {@code ;}, e.g.
 * {@code ingested=1716800000000000;delivery=2024-06-24}. Keys are the job's own.
 */
public final class Watermark {
  private final Map<String, String> values;

  private Watermark(Map<String, String> values) {
    this.values = values;
  }

  public static Watermark parse(Optional<String> text) {
    Map<String, String> values = new TreeMap<>();
    if (text.isPresent()) {
      for (String pair : text.get().split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return new Watermark(values);
  }

  /** The text the run log stores, or null when there is no mark (the run log's "none"). */
  public String orNull() {
    return isEmpty() ? null : toString();
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public Watermark with(String key, Optional<String> value) {
    Map<String, String> copy = new TreeMap<>(values);
    value.ifPresent(v -> copy.put(key, v));
    return new Watermark(copy);
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder();
    values.forEach(
        (k, v) -> text.append(text.length() == 0 ? "" : ";").append(k).append('=').append(v));
    return text.toString();
  }
}
