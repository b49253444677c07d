package com.acme.warehouse.jobs.bronze;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One field of a source's contract: its name, the type silver will give it, whether every record
 * must have it, and (optionally) the values it may take.
 */
public final class FieldSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Types a contract may name; silver casts to them. */
  static final Pattern TYPE =
      Pattern.compile(
          "string|bigint|int|double|boolean|date|timestamp|json|decimal\\(\\d+,\\d+\\)");

  private final String name;
  private final String type;
  private final boolean required;
  private final List<String> values;

  public FieldSpec(String name, String type, boolean required, List<String> values) {
    this.name = name;
    this.type = type;
    this.required = required;
    this.values = List.copyOf(values);
  }

  public String name() {
    return name;
  }

  public String type() {
    return type;
  }

  public boolean required() {
    return required;
  }

  /** Accepted values; empty when any value is accepted. */
  public List<String> values() {
    return values;
  }
}
