package com.acme.warehouse.common.publish;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;

/**
 * What a publish would do to an existing BigQuery table's schema, decided before anything is
 * written: a column new in gold is added (allowed); a column whose type differs is refused, with
 * the table and column named, since BigQuery cannot change a column's type in a load and a silent
 * cast would change the numbers. Types are compared as BigQuery stores them (INT and BIGINT are
 * both INT64; the connector reads INT64 back as BIGINT).
 */
public final class SchemaEvolution {
  private SchemaEvolution() {}

  /** Thrown when a gold column's type differs from the BigQuery column's. */
  public static final class TypeChangeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    TypeChangeException(String message) {
      super(message);
    }
  }

  /**
   * The columns gold adds to the existing table (names as in gold); throws {@link
   * TypeChangeException} naming the first column whose type changed.
   */
  public static List<String> addedColumns(String table, StructType existing, StructType gold) {
    Map<String, StructField> known = new TreeMap<>();
    for (StructField field : existing.fields()) {
      known.put(field.name().toLowerCase(Locale.ROOT), field);
    }
    List<String> added = new ArrayList<>();
    for (StructField field : gold.fields()) {
      StructField current = known.get(field.name().toLowerCase(Locale.ROOT));
      if (current == null) {
        added.add(field.name());
        continue;
      }
      String before = bigQueryType(current.dataType());
      String after = bigQueryType(field.dataType());
      if (!before.equals(after)) {
        throw new TypeChangeException(
            table
                + ": column '"
                + field.name()
                + "' is "
                + before
                + " in BigQuery but "
                + after
                + " in gold; a type change needs a migration (new column, or recreate the table),"
                + " nothing was written");
      }
    }
    return added;
  }

  /** The BigQuery type a Spark type is stored as. */
  static String bigQueryType(DataType type) {
    if (type instanceof ByteType
        || type instanceof ShortType
        || type instanceof IntegerType
        || type instanceof LongType) {
      return "INT64";
    }
    if (type instanceof FloatType || type instanceof DoubleType) {
      return "FLOAT64";
    }
    if (type instanceof DecimalType) {
      DecimalType decimal = (DecimalType) type;
      boolean numeric = decimal.precision() - decimal.scale() <= 29 && decimal.scale() <= 9;
      return numeric ? "NUMERIC" : "BIGNUMERIC";
    }
    if (type instanceof StringType) {
      return "STRING";
    }
    if (type instanceof BooleanType) {
      return "BOOL";
    }
    if (type instanceof DateType) {
      return "DATE";
    }
    if (type instanceof TimestampType) {
      return "TIMESTAMP";
    }
    if (type instanceof TimestampNTZType) {
      return "DATETIME";
    }
    if (type instanceof BinaryType) {
      return "BYTES";
    }
    if (type instanceof ArrayType) {
      return "ARRAY<" + bigQueryType(((ArrayType) type).elementType()) + ">";
    }
    if (type instanceof StructType) {
      List<String> fields = new ArrayList<>();
      for (StructField field : ((StructType) type).fields()) {
        fields.add(field.name() + " " + bigQueryType(field.dataType()));
      }
      return "STRUCT<" + String.join(", ", fields) + ">";
    }
    return type.simpleString().toUpperCase(Locale.ROOT);
  }
}
