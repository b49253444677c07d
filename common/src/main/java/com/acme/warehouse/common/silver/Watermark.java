package com.acme.warehouse.common.silver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A job's watermark as the run log stores it: a JSON object of the job's own keys, e.g. {@code
 * {"delivery":"2024-06-24","ingested":1716800000000000}} (integers as numbers, anything else as
 * text). Watermarks written by earlier versions, {@code key=value} pairs joined by {@code ;}, are
 * still read, so an upgrade resumes where the last run stopped.
 */
public final class Watermark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern INTEGER = Pattern.compile("0|-?[1-9][0-9]{0,17}");

  private final Map<String, String> values;

  private Watermark(Map<String, String> values) {
    this.values = values;
  }

  public static Watermark parse(Optional<String> text) {
    Map<String, String> values = new TreeMap<>();
    if (text.isPresent() && text.get().trim().startsWith("{")) {
      JsonNode object = readObject(text.get());
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        values.put(field.getKey(), field.getValue().asText());
      }
    } else if (text.isPresent()) {
      for (String pair : text.get().split(";")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          values.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return new Watermark(values);
  }

  private static JsonNode readObject(String text) {
    try {
      JsonNode node = JSON.readTree(text);
      if (!node.isObject()) {
        throw new IllegalArgumentException("a watermark is a JSON object, not: " + text);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("unreadable watermark '" + text + "': " + e.getMessage());
    }
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

  /** The JSON object, keys in order. */
  @Override
  public String toString() {
    ObjectNode object = JSON.createObjectNode();
    values.forEach(
        (k, v) -> {
          if (INTEGER.matcher(v).matches()) {
            object.put(k, Long.parseLong(v));
          } else {
            object.put(k, v);
          }
        });
    return object.toString();
  }
}
