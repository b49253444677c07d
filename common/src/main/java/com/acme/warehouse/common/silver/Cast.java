package com.acme.warehouse.common.silver;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Typing of bronze strings. Each cast gives NULL for text it cannot read; {@link #failed} says when
 * that NULL means a bad value (there was text) rather than an absent one, and {@link #reason} words
 * it for the quarantine. Timestamps may carry {@code Z} or an offset; they land as UTC instants.
 */
public final class Cast {
  private Cast() {}

  /** Trimmed text; empty becomes NULL. */
  public static Column text(Column raw) {
    Column trimmed = trim(raw);
    return when(trimmed.equalTo(""), lit(null).cast("string")).otherwise(trimmed);
  }

  public static Column bigint(Column raw) {
    return text(raw).cast("bigint");
  }

  public static Column integer(Column raw) {
    return text(raw).cast("int");
  }

  public static Column decimal(Column raw, int precision, int scale) {
    return text(raw).cast("decimal(" + precision + "," + scale + ")");
  }

  public static Column date(Column raw) {
    return text(raw).cast("date");
  }

  /** ISO-8601 with {@code Z} or an offset (or none: UTC), as a UTC instant. */
  public static Column timestamp(Column raw) {
    return text(raw).cast("timestamp");
  }

  public static Column bool(Column raw) {
    return text(raw).cast("boolean");
  }

  /** There was a value, and the cast could not read it. */
  public static Column failed(Column raw, Column typed) {
    return text(raw).isNotNull().and(typed.isNull());
  }

  /** {@code <field> 'abc' is not a <what>}. */
  public static Column reason(String field, Column raw, String what) {
    return concat(lit(field + " '"), raw, lit("' is not " + what));
  }
}
