package com.acme.warehouse.common.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lpad;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.unix_micros;

import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.QueryParameterType;
import com.google.api.services.bigquery.model.QueryParameterValue;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructType;

/**
 * The time partitions of a table, named the same way on both sides: in gold (a Spark column) and in
 * BigQuery (a SQL expression). A partition is named by its first day, {@code 2024-01-02} (DAY,
 * MONTH, YEAR), or hour, {@code 2024-01-02T10} (HOUR), always in UTC as BigQuery partitions; rows
 * whose partition field is NULL fall in BigQuery's {@code __NULL__} partition, named NULL here.
 */
final class PartitionKeys {
  private final String field;
  private final String type;
  private final boolean dateField;

  private PartitionKeys(String field, String type, boolean dateField) {
    this.field = field;
    this.type = type;
    this.dateField = dateField;
  }

  /** The partitions of a table partitioned on {@code field} (a DATE or TIMESTAMP column). */
  static PartitionKeys of(String field, String type, StructType schema) {
    return new PartitionKeys(field, type, schema.apply(field).dataType() instanceof DateType);
  }

  /**
   * The partition a gold row falls in, as text. Computed from epoch microseconds and calendar dates
   * only, so the session time zone never moves a row to another partition.
   */
  Column sparkKey() {
    Column day =
        dateField
            ? col(field)
            : date_from_unix_date(
                floor(unix_micros(col(field)).divide(86_400_000_000L)).cast("int"));
    switch (type) {
      case "HOUR":
        Column hour = pmod(floor(unix_micros(col(field)).divide(3_600_000_000L)), lit(24));
        return concat(day.cast("string"), lit("T"), lpad(hour.cast("string"), 2, "0"));
      case "MONTH":
        return trunc(day, "month").cast("string");
      case "YEAR":
        return trunc(day, "year").cast("string");
      default:
        return day.cast("string");
    }
  }

  /** Gold rows in the given partitions (NULL in the list selects the NULL partition). */
  Column sparkCondition(List<String> keys) {
    List<Object> named = new ArrayList<>();
    for (String key : keys) {
      if (key != null) {
        named.add(key);
      }
    }
    Column in = sparkKey().isin(named.toArray());
    return named.size() < keys.size() ? in.or(col(field).isNull()) : in;
  }

  /**
   * The partition's first instant or day as BigQuery computes it, in a form its pruning recognises
   * ({@code TIMESTAMP_TRUNC} on a TIMESTAMP, {@code DATE_TRUNC} on a DATE).
   */
  String sqlTruncated(String qualifier) {
    String column = qualifier + "`" + field + "`";
    return (dateField ? "DATE_TRUNC(" : "TIMESTAMP_TRUNC(") + column + ", " + type + ")";
  }

  /** BigQuery's text of {@link #sqlTruncated}, turned back into a key by {@link #keyOf}. */
  String sqlKeyText(String qualifier) {
    return "CAST(" + sqlTruncated(qualifier) + " AS STRING)";
  }

  private String sqlField(String qualifier) {
    return qualifier + "`" + field + "`";
  }

  /**
   * A key from BigQuery's text of a truncated value: {@code 2024-01-02} for a DATE, {@code
   * 2024-01-02 10:00:00+00} for a TIMESTAMP.
   */
  String keyOf(String bigQueryText) {
    if (bigQueryText == null) {
      return null;
    }
    return "HOUR".equals(type)
        ? bigQueryText.substring(0, 10) + "T" + bigQueryText.substring(11, 13)
        : bigQueryText.substring(0, 10);
  }

  /**
   * A BigQuery condition selecting the given partitions (and the NULL partition if listed), with
   * its two parameters added: {@code @partitions} and {@code @null_partition}.
   */
  String condition(String qualifier, List<String> partitions, List<QueryParameter> out) {
    List<String> named = new ArrayList<>();
    for (String key : partitions) {
      if (key != null) {
        named.add(key);
      }
    }
    out.add(parameter("partitions", named));
    out.add(
        new QueryParameter()
            .setName("null_partition")
            .setParameterType(new QueryParameterType().setType("BOOL"))
            .setParameterValue(
                new QueryParameterValue()
                    .setValue(Boolean.toString(named.size() < partitions.size()))));
    return "("
        + sqlTruncated(qualifier)
        + " IN UNNEST(@partitions) OR (@null_partition AND "
        + sqlField(qualifier)
        + " IS NULL))";
  }

  /** The named array parameter holding these partitions, typed like {@link #sqlTruncated}. */
  private QueryParameter parameter(String name, List<String> keys) {
    String element = dateField ? "DATE" : "TIMESTAMP";
    List<QueryParameterValue> values = new ArrayList<>();
    for (String key : keys) {
      values.add(new QueryParameterValue().setValue(dateField ? key : instantOf(key)));
    }
    return new QueryParameter()
        .setName(name)
        .setParameterType(
            new QueryParameterType()
                .setType("ARRAY")
                .setArrayType(new QueryParameterType().setType(element)))
        .setParameterValue(new QueryParameterValue().setArrayValues(values));
  }

  private static String instantOf(String key) {
    String hour = key.length() > 10 ? key.substring(11, 13) : "00";
    return key.substring(0, 10) + " " + hour + ":00:00+00";
  }

  String field() {
    return field;
  }
}
