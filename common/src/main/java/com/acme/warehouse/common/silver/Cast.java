package com.acme.warehouse.common.silver;

import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;

/**
 * Typing of bronze strings. Each cast gives NULL for text it cannot read; {@link #failed} says when
 * that NULL means a bad value (there was text) rather than an absent one, and {@link #reason} words
 * it for the quarantine. Timestamps may carry {@code Z} or an offset; they land as UTC instants.
 */
public final class Cast {
  private static final Pattern DECIMAL = Pattern.compile("decimal\\((\\d+),\\s*(\\d+)\\)");

  private Cast() {}

  /** Trimmed text; empty becomes NULL. */
  public static Column text(Column raw) {
    Column trimmed = trim(raw);
    return when(trimmed.equalTo(""), lit(null).cast("string")).otherwise(trimmed);
  }

  /**
   * A whole number, only from text that is one (digits, an optional sign, {@code .0}): {@code
   * 3000000806.9}, {@code 1e3}, {@code [1,2]} or a number outside the type's range read as NULL, a
   * failed cast, never as a nearby number (Spark's own cast truncates the fraction).
   */
  public static Column bigint(Column raw) {
    return whole(raw, "bigint");
  }

  public static Column integer(Column raw) {
    return whole(raw, "int");
  }

  /**
   * A number with at most {@code scale} decimals (trailing zeros aside) and at most {@code
   * precision} digits: {@code 1.005} for decimal(10,2) is NULL, a failed cast, never rounded to
   * 1.01 (as Spark's own cast would).
   */
  public static Column decimal(Column raw, int precision, int scale) {
    Column text = text(raw);
    String fraction = scale == 0 ? "(\\.0*)?" : "(\\.[0-9]{0," + scale + "}0*)?";
    String pattern =
        "^[+-]?([0-9]+" + fraction + (scale == 0 ? "" : "|\\.[0-9]{1," + scale + "}0*") + ")$";
    return when(text.rlike(pattern), text.cast("decimal(" + precision + "," + scale + ")"));
  }

  /** A contract type by its Spark SQL name ({@code bigint}, {@code decimal(15,2)}, ...). */
  public static Column to(Column raw, String type) {
    Matcher decimal = DECIMAL.matcher(type);
    if (decimal.matches()) {
      return decimal(raw, Integer.parseInt(decimal.group(1)), Integer.parseInt(decimal.group(2)));
    }
    switch (type) {
      case "bigint":
      case "int":
      case "smallint":
      case "tinyint":
        return whole(raw, type);
      case "date":
        return date(raw);
      case "timestamp":
        return timestamp(raw);
      default:
        return text(raw).cast(type);
    }
  }

  private static Column whole(Column raw, String type) {
    Column text = text(raw);
    // "42.0" is exactly 42 (a JSON writer's float); "42.5" is not a whole number.
    return when(text.rlike("^[+-]?[0-9]+(\\.0*)?$"), text.cast(type));
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

  /**
   * {@code <field> 'abc' is not a <what>}, or {@code <field> is missing} when there is no value (a
   * required field's NULL must not leave its quarantine row without a reason).
   */
  public static Column reason(String field, Column raw, String what) {
    return when(text(raw).isNull(), lit(field + " is missing"))
        .otherwise(concat(lit(field + " '"), raw, lit("' is not " + what)));
  }
}
