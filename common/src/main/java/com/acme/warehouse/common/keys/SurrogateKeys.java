package com.acme.warehouse.common.keys;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.hex;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * The one function that makes every surrogate key: the SHA-256 (lower-case hex) of the key columns'
 * canonical text forms, joined by {@code |}. Deterministic on any machine, in any run, under any
 * session time zone; nothing else in the suite hashes.
 *
 * <p>Canonical form of one value, by Spark type:
 *
 * <ul>
 *   <li>NULL: {@code \N}. No value can produce it, because in every value {@code \} is written
 *       {@code \\} and {@code |} is written {@code \|}; so ("a|b", "c") and ("a", "b|c") differ.
 *   <li>integers (tinyint to bigint): decimal digits, so a BIGINT 42 typed from the string "42"
 *       keys like the number 42;
 *   <li>decimals: plain digits without trailing fractional zeros ({@code 1.50} and {@code 1.5} are
 *       {@code 1.5}; {@code 2.00} is {@code 2});
 *   <li>float and double: Spark's text of the value, {@code -0.0} as {@code 0.0};
 *   <li>boolean: {@code true} / {@code false};
 *   <li>date: {@code yyyy-MM-dd};
 *   <li>timestamp: the UTC instant, {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ} (from the epoch
 *       microseconds, so the session time zone never matters); timestamp without zone: the same
 *       without {@code Z};
 *   <li>string: as it is (normalise before keying if needed); binary: upper-case hex.
 * </ul>
 *
 * Nested types cannot be key columns.
 */
public final class SurrogateKeys {
  static final String NULL_MARKER = "\\N";
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  private SurrogateKeys() {}

  /** The key of the named columns of a frame, as a column expression. */
  public static Column key(Dataset<Row> frame, String... columns) {
    return key(frame.schema(), columns);
  }

  /** The key of the named columns of a schema, as a column expression over that schema. */
  public static Column key(StructType schema, String... columns) {
    if (columns.length == 0) {
      throw new IllegalArgumentException("a surrogate key needs at least one column");
    }
    List<Column> parts = new ArrayList<>();
    for (String name : columns) {
      DataType type = schema.apply(name).dataType();
      parts.add(coalesce(escape(canonical(functions.col(name), type, name)), lit(NULL_MARKER)));
    }
    return sha2(concat_ws("|", parts.toArray(new Column[0])), 256);
  }

  /** Adds (or replaces) a key column. */
  public static Dataset<Row> withKey(Dataset<Row> frame, String keyColumn, String... columns) {
    return frame.withColumn(keyColumn, key(frame, columns));
  }

  private static Column escape(Column text) {
    return regexp_replace(regexp_replace(text, "\\\\", "\\\\\\\\"), "\\|", "\\\\|");
  }

  /** The canonical text of one value; null stays null. */
  static Column canonical(Column c, DataType type, String name) {
    if (type instanceof StringType) {
      return c;
    }
    if (type instanceof IntegralType) {
      return c.cast("bigint").cast("string");
    }
    if (type instanceof DecimalType) {
      // Spark writes decimals in plain notation with the type's scale: drop trailing zeros.
      Column text = c.cast("string");
      Column trimmed = regexp_replace(regexp_replace(text, "(\\.[0-9]*?)0+$", "$1"), "\\.$", "");
      return when(c.isNull(), lit(null)).otherwise(regexp_replace(trimmed, "^-0$", "0"));
    }
    if (type instanceof DoubleType || type instanceof FloatType) {
      Column d = c.cast("double");
      return when(d.equalTo(0.0), lit("0.0")).otherwise(d.cast("string"));
    }
    if (type instanceof BooleanType) {
      return c.cast("string");
    }
    if (type instanceof DateType) {
      return date_format(c, "yyyy-MM-dd");
    }
    if (type instanceof TimestampType) {
      return utcInstant(c);
    }
    if (type instanceof TimestampNTZType) {
      return date_format(c, "yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    }
    if (type instanceof BinaryType) {
      return hex(c);
    }
    throw new IllegalArgumentException(
        "column '" + name + "' of type " + type.simpleString() + " cannot be part of a key");
  }

  /** {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ} computed from epoch microseconds: zone-free. */
  public static Column utcInstant(Column ts) {
    Column micros = functions.unix_micros(ts);
    Column day = functions.floor(micros.divide(MICROS_PER_DAY));
    Column ofDay = micros.minus(day.multiply(MICROS_PER_DAY));
    Column date = functions.date_from_unix_date(day.cast("int")).cast("string");
    return concat(
        date,
        lit("T"),
        two(ofDay.divide(3_600_000_000L).cast("long")),
        lit(":"),
        two(ofDay.divide(60_000_000L).cast("long").mod(60)),
        lit(":"),
        two(ofDay.divide(1_000_000L).cast("long").mod(60)),
        lit("."),
        lpad(ofDay.mod(1_000_000L).cast("string"), 6, "0"),
        lit("Z"));
  }

  private static Column two(Column number) {
    return lpad(number.cast("string"), 2, "0");
  }
}
