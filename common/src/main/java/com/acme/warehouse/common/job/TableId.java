package com.acme.warehouse.common.job;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A table's name in the job manifest: {@code <layer>.<domain>.<table>}, e.g. {@code
 * silver.mentoring.sessions}; operational tables have no domain ({@code _ops.run_log}). Tables of
 * the {@code raw} layer are the extracts that arrive from outside: no job produces them.
 */
public final class TableId implements Comparable<TableId> {
  public static final String RAW = "raw";
  public static final String OPS = "_ops";
  private static final Pattern PART = Pattern.compile("_?[a-z][a-z0-9_]*");

  private final String layer;
  private final String domain;
  private final String name;

  private TableId(String layer, String domain, String name) {
    this.layer = layer;
    this.domain = domain;
    this.name = name;
  }

  public static TableId of(String layer, String domain, String name) {
    requirePart(layer, "layer");
    requirePart(domain, "domain");
    requirePart(name, "table");
    return new TableId(layer, domain, name);
  }

  public static TableId ops(String name) {
    requirePart(name, "table");
    return new TableId(OPS, null, name);
  }

  /** Parses {@code layer.domain.table} or {@code _ops.table}. */
  public static TableId parse(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length == 2 && OPS.equals(parts[0])) {
      return ops(parts[1]);
    }
    if (parts.length != 3) {
      throw new IllegalArgumentException(
          "table id '" + text + "' is not <layer>.<domain>.<table> (or _ops.<table>)");
    }
    return of(parts[0], parts[1], parts[2]);
  }

  private static void requirePart(String part, String what) {
    if (part == null || !PART.matcher(part).matches()) {
      throw new IllegalArgumentException(
          "table id " + what + " '" + part + "' must be lower case letters, digits and _");
    }
  }

  public String layer() {
    return layer;
  }

  public Optional<String> domain() {
    return Optional.ofNullable(domain);
  }

  public String name() {
    return name;
  }

  /** The suite's own bookkeeping ({@code _ops}: run log, quality results, leases), not data. */
  public boolean isOps() {
    return OPS.equals(layer);
  }

  /** Raw extracts arrive from outside; no job produces them. */
  public boolean isExternal() {
    return RAW.equals(layer);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof TableId && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return Objects.hash(layer, domain, name);
  }

  @Override
  public int compareTo(TableId other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return domain == null ? layer + "." + name : layer + "." + domain + "." + name;
  }
}
