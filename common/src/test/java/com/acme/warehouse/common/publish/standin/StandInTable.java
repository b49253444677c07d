package com.acme.warehouse.common.publish.standin;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One table as the stand-in holds it: schema, time partitioning, clustering and rows. Values are
 * kept as BigQuery's types mean them: INT64 {@link Long}, NUMERIC/BIGNUMERIC {@link
 * java.math.BigDecimal}, FLOAT64 {@link Double}, BOOL {@link Boolean}, STRING {@link String}, DATE
 * {@link LocalDate}, TIMESTAMP {@link Instant} (microseconds), a REPEATED field a {@link List}.
 */
public final class StandInTable {
  /** One column: name, standard SQL type, mode. */
  public static final class Field {
    public final String name;
    public final String type;
    public final String mode;

    Field(String name, String type, String mode) {
      this.name = name;
      this.type = type;
      this.mode = mode;
    }

    @Override
    public String toString() {
      return name + " " + type + ("NULLABLE".equals(mode) ? "" : " " + mode);
    }
  }

  private static final Map<String, String> STANDARD =
      Map.of("INTEGER", "INT64", "FLOAT", "FLOAT64", "BOOLEAN", "BOOL", "RECORD", "STRUCT");
  private static final Map<String, String> LEGACY =
      Map.of("INT64", "INTEGER", "FLOAT64", "FLOAT", "BOOL", "BOOLEAN", "STRUCT", "RECORD");

  final String project;
  final String dataset;
  final String name;
  final List<Field> schema = new ArrayList<>();
  String partitionType;
  String partitionField;
  List<String> clustering = List.of();
  Long expirationTime;
  final long createdAt = System.currentTimeMillis();
  long modifiedAt = createdAt;
  List<Map<String, Object>> rows = new ArrayList<>();

  StandInTable(String project, String dataset, String name) {
    this.project = project;
    this.dataset = dataset;
    this.name = name;
  }

  static String standard(String type) {
    String upper = type.toUpperCase(Locale.ROOT);
    return STANDARD.getOrDefault(upper, upper);
  }

  static String legacy(String type) {
    return LEGACY.getOrDefault(type, type);
  }

  public String id() {
    return project + "." + dataset + "." + name;
  }

  public List<Field> schema() {
    return List.copyOf(schema);
  }

  public Field field(String column) {
    for (Field field : schema) {
      if (field.name.equalsIgnoreCase(column)) {
        return field;
      }
    }
    return null;
  }

  /** {@code DAY of created_at}, or {@code none}: BigQuery's words for a partitioning spec. */
  public String partitioning() {
    return partitionType == null
        ? "none"
        : "interval(type:"
            + partitionType.toLowerCase(Locale.ROOT)
            + ",field:"
            + partitionField
            + ")";
  }

  public List<String> clustering() {
    return clustering;
  }

  /** The rows, each a column → value map, in the order they were written. */
  public List<Map<String, Object>> rows() {
    List<Map<String, Object>> copy = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      copy.add(new LinkedHashMap<>(row));
    }
    return copy;
  }

  /**
   * The rows as a DataFrame of the given schema (gold's, typically), to compare with gold row by
   * row: values go through JSON text, so every column is compared, none skipped.
   */
  public org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> asDataFrame(
      org.apache.spark.sql.SparkSession spark, org.apache.spark.sql.types.StructType schema) {
    com.fasterxml.jackson.databind.ObjectMapper json = BigQueryStandIn.json();
    List<String> lines = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      com.fasterxml.jackson.databind.node.ObjectNode node = json.createObjectNode();
      for (Map.Entry<String, Object> entry : row.entrySet()) {
        node.set(entry.getKey(), jsonValue(json, entry.getValue()));
      }
      lines.add(node.toString());
    }
    return spark
        .read()
        .schema(schema)
        .option("mode", "FAILFAST")
        .json(spark.createDataset(lines, org.apache.spark.sql.Encoders.STRING()));
  }

  private static com.fasterxml.jackson.databind.JsonNode jsonValue(
      com.fasterxml.jackson.databind.ObjectMapper json, Object value) {
    if (value instanceof List) {
      com.fasterxml.jackson.databind.node.ArrayNode array = json.createArrayNode();
      for (Object item : (List<?>) value) {
        array.add(jsonValue(json, item));
      }
      return array;
    }
    if (value instanceof Instant || value instanceof LocalDate) {
      return json.getNodeFactory().textNode(value.toString());
    }
    return json.valueToTree(value);
  }

  /** Rows per partition id ({@code 20240102}, {@code 202401}, {@code __NULL__}, ...). */
  public Map<String, List<Map<String, Object>>> partitions() {
    Map<String, List<Map<String, Object>>> byPartition = new java.util.TreeMap<>();
    for (Map<String, Object> row : rows) {
      byPartition.computeIfAbsent(partitionOf(row), p -> new ArrayList<>()).add(row);
    }
    return byPartition;
  }

  /** The id of the partition a row falls in ({@code __UNPARTITIONED__} without partitioning). */
  String partitionOf(Map<String, Object> row) {
    if (partitionType == null) {
      return "__UNPARTITIONED__";
    }
    Object value = row.get(partitionField);
    if (value == null) {
      return "__NULL__";
    }
    Instant start = truncate(value, partitionType);
    String day = start.atOffset(ZoneOffset.UTC).toLocalDate().toString().replace("-", "");
    switch (partitionType) {
      case "HOUR":
        return day + String.format("%02d", start.atOffset(ZoneOffset.UTC).getHour());
      case "MONTH":
        return day.substring(0, 6);
      case "YEAR":
        return day.substring(0, 4);
      default:
        return day;
    }
  }

  /** The start of the period a DATE or TIMESTAMP value falls in, in UTC. */
  static Instant truncate(Object value, String unit) {
    Instant instant =
        value instanceof LocalDate
            ? ((LocalDate) value).atStartOfDay(ZoneOffset.UTC).toInstant()
            : (Instant) value;
    LocalDate day = instant.atOffset(ZoneOffset.UTC).toLocalDate();
    switch (unit) {
      case "HOUR":
        return instant.truncatedTo(ChronoUnit.HOURS);
      case "MONTH":
        return day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      case "YEAR":
        return day.withDayOfYear(1).atStartOfDay(ZoneOffset.UTC).toInstant();
      default:
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }
  }

  boolean expired() {
    return expirationTime != null && expirationTime <= System.currentTimeMillis();
  }

  boolean sameLayout(String type, String field) {
    return Objects.equals(partitionType, type) && Objects.equals(partitionField, field);
  }
}
