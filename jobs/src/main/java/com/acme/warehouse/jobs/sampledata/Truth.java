package com.acme.warehouse.jobs.sampledata;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the generator wrote and planted, for {@code _truth.json}: row counts, the count of every
 * defect, and the ground truths tests check the pipeline against. Sections and keys keep the order
 * they were declared in, so the file is byte-identical for the same seed and scale.
 */
final class Truth {
  private final Map<String, Object> root = new LinkedHashMap<>();

  Truth(String domain, long seed, double scale) {
    root.put("domain", domain);
    root.put("seed", seed);
    root.put("scale", scale);
  }

  void put(String key, Object value) {
    root.put(key, value);
  }

  /** A nested section, created on first use. */
  @SuppressWarnings("unchecked")
  Map<String, Object> section(String... path) {
    Map<String, Object> node = root;
    for (String name : path) {
      node = (Map<String, Object>) node.computeIfAbsent(name, k -> new LinkedHashMap<>());
    }
    return node;
  }

  /** Declares counters at zero so every planted defect type appears even when none was drawn. */
  void declare(String section, String... counters) {
    Map<String, Object> node = section(section);
    for (String counter : counters) {
      node.putIfAbsent(counter, 0L);
    }
  }

  void add(String section, String counter, long delta) {
    Map<String, Object> node = section(section);
    if (!node.containsKey(counter)) {
      throw new IllegalStateException("undeclared counter " + section + "." + counter);
    }
    node.put(counter, (Long) node.get(counter) + delta);
  }

  void increment(String section, String counter) {
    add(section, counter, 1);
  }

  long get(String section, String counter) {
    return (Long) section(section).get(counter);
  }

  String toJson() {
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
