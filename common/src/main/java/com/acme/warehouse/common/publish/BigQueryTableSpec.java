package com.acme.warehouse.common.publish;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.job.TableId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;

/**
 * Where and how one gold table lives in BigQuery, from {@code gold.tables."<table id>"}: dataset
 * (default {@code bigquery.dataset}), table name, time partitioning (field and type), clustering
 * fields, write mode and the measures the publish parity check sums ({@code parity-measures},
 * default every numeric column):
 *
 * <ul>
 *   <li>{@code partitions}: the table is partitioned; a publish replaces only the partitions whose
 *       rows changed, in one atomic statement, so a rerun touches nothing else;
 *   <li>{@code replace}: the whole table is replaced by one load job (dimensions, small reports).
 * </ul>
 *
 * Dataset, table and column names are checked against BigQuery's rules here, so the SQL a publish
 * sends never carries anything but validated identifiers.
 */
public final class BigQueryTableSpec {
  /** How a publish writes the table. */
  public enum WriteMode {
    PARTITIONS,
    REPLACE
  }

  static final Set<String> PARTITION_TYPES = Set.of("HOUR", "DAY", "MONTH", "YEAR");
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,299}");
  private static final Pattern DATASET = Pattern.compile("[A-Za-z0-9_]{1,1024}");

  private final TableId source;
  private final String dataset;
  private final String table;
  private final Optional<String> partitionField;
  private final String partitionType;
  private final List<String> clustering;
  private final WriteMode writeMode;
  private final List<String> parityMeasures;

  BigQueryTableSpec(
      TableId source,
      String dataset,
      String table,
      Optional<String> partitionField,
      String partitionType,
      List<String> clustering,
      WriteMode writeMode,
      List<String> parityMeasures) {
    this.source = source;
    this.dataset = dataset;
    this.table = table;
    this.partitionField = partitionField;
    this.partitionType = partitionType;
    this.clustering = List.copyOf(clustering);
    this.writeMode = writeMode;
    this.parityMeasures = List.copyOf(parityMeasures);
  }

  /** The config key holding a gold table's spec. */
  public static String key(TableId table) {
    return "gold.tables.\"" + table + "\"";
  }

  /** Reads and validates the spec of one gold table; problems go to the reader. */
  public static BigQueryTableSpec from(ConfigReader config, TableId table) {
    String key = key(table);
    if (!config.has(key)) {
      config.problem(
          key,
          "missing: every gold table declares its BigQuery table, partitioning and write mode");
      return new BigQueryTableSpec(
          table,
          "",
          table.name(),
          Optional.empty(),
          "DAY",
          List.of(),
          WriteMode.REPLACE,
          List.of());
    }
    ConfigReader spec = config.at(key);
    String dataset =
        spec.has("dataset") ? spec.nonEmptyString("dataset") : config.string("bigquery.dataset");
    String name = spec.nonEmptyString("table");
    WriteMode mode =
        WriteMode.valueOf(
            spec.oneOf("write-mode", Set.of("partitions", "replace")).toUpperCase(Locale.ROOT));
    Optional<String> field = spec.optionalString("partition-field");
    String type =
        spec.has("partition-type") ? spec.oneOf("partition-type", PARTITION_TYPES) : "DAY";
    List<String> clustering = spec.has("clustering") ? spec.stringList("clustering") : List.of();
    List<String> measures =
        spec.has("parity-measures") ? spec.stringList("parity-measures") : List.of();
    if (!dataset.isEmpty() && !DATASET.matcher(dataset).matches()) {
      spec.problem(
          "dataset", "'" + dataset + "' is not a BigQuery dataset name (A-Z, a-z, 0-9, _)");
    }
    if (!NAME.matcher(name).matches()) {
      spec.problem("table", "'" + name + "' is not a BigQuery table name (A-Z, a-z, 0-9, _)");
    }
    if (mode == WriteMode.PARTITIONS && field.isEmpty()) {
      spec.problem("partition-field", "is required when write-mode = partitions");
    }
    if (clustering.size() > 4) {
      spec.problem("clustering", "BigQuery clusters by at most 4 fields, got " + clustering);
    }
    return new BigQueryTableSpec(table, dataset, name, field, type, clustering, mode, measures);
  }

  /**
   * Checks the spec against the gold table's schema: the partition field exists and is a DATE or
   * TIMESTAMP, every clustering field exists. Throws naming the config key.
   */
  public void validate(StructType schema) {
    List<String> columns = List.of(schema.fieldNames());
    for (String column : columns) {
      if (!NAME.matcher(column).matches()) {
        throw new IllegalArgumentException(
            key(source) + ": gold column '" + column + "' is not a BigQuery column name");
      }
    }
    if (partitionField.isPresent()) {
      String field = partitionField.get();
      if (!columns.contains(field)) {
        throw new IllegalArgumentException(
            key(source) + ".partition-field: gold table has no column '" + field + "'");
      }
      DataType type = schema.apply(field).dataType();
      if (!(type instanceof DateType) && !(type instanceof TimestampType)) {
        throw new IllegalArgumentException(
            key(source)
                + ".partition-field: '"
                + field
                + "' is "
                + type.simpleString()
                + "; time partitioning needs a DATE or TIMESTAMP column");
      }
      if ("HOUR".equals(partitionType) && type instanceof DateType) {
        throw new IllegalArgumentException(
            key(source)
                + ".partition-type: HOUR needs a TIMESTAMP column, '"
                + field
                + "' is a DATE");
      }
    }
    for (String measure : parityMeasures) {
      if (!columns.contains(measure)
          || !(schema.apply(measure).dataType() instanceof NumericType)) {
        throw new IllegalArgumentException(
            key(source) + ".parity-measures: '" + measure + "' is not a numeric gold column");
      }
    }
    for (String field : clustering) {
      if (!columns.contains(field)) {
        throw new IllegalArgumentException(
            key(source) + ".clustering: gold table has no column '" + field + "'");
      }
    }
  }

  public TableId source() {
    return source;
  }

  public String dataset() {
    return dataset;
  }

  public String table() {
    return table;
  }

  public Optional<String> partitionField() {
    return partitionField;
  }

  public String partitionType() {
    return partitionType;
  }

  public List<String> clustering() {
    return clustering;
  }

  public WriteMode writeMode() {
    return writeMode;
  }

  /** Columns the parity check sums; empty = every numeric column. */
  public List<String> parityMeasures() {
    return parityMeasures;
  }
}
