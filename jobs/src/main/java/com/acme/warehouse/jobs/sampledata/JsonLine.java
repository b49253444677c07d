package com.acme.warehouse.jobs.sampledata;

import java.util.List;

/**
 * Builds one JSON object on one line, fields in the order added, exactly as the generator wants it
 * written (a number stays a number, a string a string), without a JSON library's overhead.
 */
final class JsonLine {
  private final StringBuilder text = new StringBuilder(256).append('{');
  private boolean first = true;

  JsonLine str(String name, String value) {
    key(name);
    if (value == null) {
      text.append("null");
    } else {
      quote(value);
    }
    return this;
  }

  JsonLine num(String name, long value) {
    key(name).append(value);
    return this;
  }

  /** A number already formatted (e.g. fixed decimals), or null. */
  JsonLine rawNumber(String name, String formatted) {
    key(name).append(formatted == null ? "null" : formatted);
    return this;
  }

  JsonLine bool(String name, Boolean value) {
    key(name).append(value == null ? "null" : value.toString());
    return this;
  }

  JsonLine nullValue(String name) {
    key(name).append("null");
    return this;
  }

  JsonLine strings(String name, List<String> values) {
    key(name).append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        text.append(',');
      }
      quote(values.get(i));
    }
    text.append(']');
    return this;
  }

  @Override
  public String toString() {
    return text + "}";
  }

  private StringBuilder key(String name) {
    if (!first) {
      text.append(',');
    }
    first = false;
    quote(name);
    return text.append(':');
  }

  private void quote(String value) {
    text.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"':
          text.append("\\\"");
          break;
        case '\\':
          text.append("\\\\");
          break;
        case '\n':
          text.append("\\n");
          break;
        case '\r':
          text.append("\\r");
          break;
        case '\t':
          text.append("\\t");
          break;
        default:
          if (c < 0x20) {
            text.append(String.format("\\u%04x", (int) c));
          } else {
            text.append(c);
          }
      }
    }
    text.append('"');
  }
}
