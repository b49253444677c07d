package com.acme.warehouse.common.publish;

import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * Gold's Spark schema as a BigQuery table schema, the way the spark-bigquery connector stores each
 * type (INT and BIGINT are both INT64, a DECIMAL fits NUMERIC up to 29 integer digits and scale 9,
 * else BIGNUMERIC; an array is a REPEATED field). Every column is NULLABLE: a gold column's
 * nullability is not a contract BigQuery should enforce, and a NULLABLE column can always be added.
 */
final class BigQuerySchemas {
  /** The REST API's legacy type names, as {@code tables.get} returns them, by standard name. */
  private static final Map<String, String> STANDARD =
      Map.of(
          "INTEGER", "INT64",
          "FLOAT", "FLOAT64",
          "BOOLEAN", "BOOL",
          "RECORD", "STRUCT");

  private BigQuerySchemas() {}

  /** The BigQuery schema of a gold table. */
  static TableSchema of(StructType gold) {
    List<TableFieldSchema> fields = new ArrayList<>();
    for (StructField field : gold.fields()) {
      fields.add(field(field.name(), field.dataType()));
    }
    return new TableSchema().setFields(fields);
  }

  private static TableFieldSchema field(String name, DataType type) {
    TableFieldSchema field = new TableFieldSchema().setName(name).setMode("NULLABLE");
    if (type instanceof ArrayType) {
      DataType element = ((ArrayType) type).elementType();
      if (element instanceof ArrayType) {
        throw new IllegalArgumentException(
            "column '" + name + "': BigQuery has no array of arrays; wrap the inner array");
      }
      return field(name, element).setMode("REPEATED");
    }
    if (type instanceof StructType) {
      List<TableFieldSchema> children = new ArrayList<>();
      for (StructField child : ((StructType) type).fields()) {
        children.add(field(child.name(), child.dataType()));
      }
      return field.setType("RECORD").setFields(children);
    }
    return field.setType(scalarType(name, type));
  }

  /** The standard SQL type a Spark type is stored as, written as {@link #typeOf} writes it. */
  static String typeOf(DataType type) {
    return typeOf(field("_", type));
  }

  /** A field's type in standard SQL, arrays and structs spelled out, e.g. ARRAY<INT64>. */
  static String typeOf(TableFieldSchema field) {
    String type = field.getType().toUpperCase(Locale.ROOT);
    type = STANDARD.getOrDefault(type, type);
    if ("STRUCT".equals(type)) {
      List<String> children = new ArrayList<>();
      for (TableFieldSchema child : field.getFields()) {
        children.add(child.getName() + " " + typeOf(child));
      }
      type = "STRUCT<" + String.join(", ", children) + ">";
    }
    return "REPEATED".equals(field.getMode()) ? "ARRAY<" + type + ">" : type;
  }

  private static String scalarType(String name, DataType type) {
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
    throw new IllegalArgumentException(
        "column '" + name + "': " + type.simpleString() + " has no BigQuery type");
  }
}
