package com.acme.warehouse.common.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.TableReference;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * After a publish, reads back from BigQuery (one query job) the row count and the sum of every
 * measure column per published partition and compares them with the same figures of the gold rows
 * just published. Exact for integers and decimals (summed as BIGNUMERIC); floating-point sums agree
 * to a relative 1e-9, since addition order differs. Per-partition figures only — at most {@link
 * BigQueryGoldSink#MAX_PARTITIONS} rows — ever meet on the driver.
 */
final class PublishParity {
  private static final double FLOAT_TOLERANCE = 1e-9;
  private static final String WHOLE_TABLE = "(whole table)";

  /** Thrown when BigQuery does not hold what gold published. */
  static final class MismatchException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    MismatchException(String message) {
      super(message);
    }
  }

  private final List<String> measures;
  private final List<Boolean> floating;
  private final Optional<PartitionKeys> partitions;

  /**
   * @param measures the columns to sum; empty = every numeric column of the gold table
   */
  PublishParity(StructType gold, List<String> measures, Optional<PartitionKeys> partitions) {
    List<String> chosen = new ArrayList<>(measures);
    if (chosen.isEmpty()) {
      for (var field : gold.fields()) {
        if (field.dataType() instanceof NumericType) {
          chosen.add(field.name());
        }
      }
    }
    this.measures = List.copyOf(chosen);
    this.floating = new ArrayList<>();
    for (String measure : chosen) {
      DataType type = gold.apply(measure).dataType();
      floating.add(type instanceof DoubleType || type instanceof FloatType);
    }
    this.partitions = partitions;
  }

  /**
   * Checks BigQuery against the published gold rows: the partitions in {@code only} (every
   * partition of the table when empty). Returns a one-line summary for the run log.
   */
  String check(
      BigQueryApi api, TableReference target, Dataset<Row> published, Optional<List<String>> only) {
    Map<String, List<String>> gold = goldFigures(published);
    Map<String, List<String>> bigQuery = bigQueryFigures(api, target, only);
    String table = BigQueryApi.name(target);
    TreeSet<String> keys = new TreeSet<>(java.util.Comparator.nullsFirst(String::compareTo));
    keys.addAll(gold.keySet());
    keys.addAll(bigQuery.keySet());
    long rows = 0;
    for (String key : keys) {
      List<String> expected = gold.getOrDefault(key, zero());
      List<String> actual = bigQuery.getOrDefault(key, zero());
      for (int i = 0; i < expected.size(); i++) {
        if (!same(i, expected.get(i), actual.get(i))) {
          throw new MismatchException(
              "publish parity failed for "
                  + table
                  + " partition "
                  + (key == null ? "__NULL__" : key)
                  + ": "
                  + figure(i)
                  + " is "
                  + actual.get(i)
                  + " in BigQuery but "
                  + expected.get(i)
                  + " in gold");
        }
      }
      rows += Long.parseLong(expected.get(0));
    }
    return keys.size()
        + (partitions.isPresent() ? " partitions" : " table")
        + ", "
        + rows
        + " rows, sums of "
        + measures
        + " equal in BigQuery and gold";
  }

  private Map<String, List<String>> goldFigures(Dataset<Row> published) {
    List<Column> figures = new ArrayList<>();
    figures.add(count(lit(1)).cast("string"));
    for (int i = 0; i < measures.size(); i++) {
      Column measure = col(measures.get(i));
      DataType type = published.schema().apply(measures.get(i)).dataType();
      Column exact =
          type instanceof DecimalType
              ? measure.cast(new DecimalType(38, ((DecimalType) type).scale()))
              : measure.cast(new DecimalType(38, 0));
      figures.add(sum(floating.get(i) ? measure.cast("double") : exact).cast("string"));
    }
    Column key = partitions.map(PartitionKeys::sparkKey).orElse(lit(WHOLE_TABLE));
    List<Row> rows =
        published
            .groupBy(key.as("_partition"))
            .agg(figures.get(0), figures.subList(1, figures.size()).toArray(new Column[0]))
            .takeAsList(BigQueryGoldSink.MAX_PARTITIONS + 1);
    if (rows.size() > BigQueryGoldSink.MAX_PARTITIONS) {
      throw new IllegalStateException("parity: more partitions than one publish can write");
    }
    Map<String, List<String>> byKey =
        new TreeMap<>(java.util.Comparator.nullsFirst(String::compareTo));
    for (Row row : rows) {
      List<String> values = new ArrayList<>();
      for (int i = 1; i < row.length(); i++) {
        values.add(row.isNullAt(i) ? null : row.getString(i));
      }
      byKey.put(row.isNullAt(0) ? null : row.getString(0), values);
    }
    return byKey;
  }

  private Map<String, List<String>> bigQueryFigures(
      BigQueryApi api, TableReference target, Optional<List<String>> only) {
    List<String> select = new ArrayList<>();
    partitions.ifPresent(p -> select.add(p.sqlKeyText("") + " AS partition_key"));
    select.add("COUNT(*) AS row_count");
    for (int i = 0; i < measures.size(); i++) {
      String column = "`" + measures.get(i) + "`";
      select.add(
          (floating.get(i) ? "SUM(" + column + ")" : "SUM(CAST(" + column + " AS BIGNUMERIC))")
              + " AS m"
              + i);
    }
    StringBuilder sql = new StringBuilder("SELECT ").append(String.join(", ", select));
    sql.append(" FROM `").append(BigQueryApi.name(target)).append('`');
    List<QueryParameter> parameters = new ArrayList<>();
    if (partitions.isPresent() && only.isPresent()) {
      sql.append(" WHERE ").append(partitions.get().condition("", only.get(), parameters));
    }
    partitions.ifPresent(p -> sql.append(" GROUP BY partition_key"));
    Map<String, List<String>> byKey =
        new TreeMap<>(java.util.Comparator.nullsFirst(String::compareTo));
    for (List<String> row : api.query(sql.toString(), parameters)) {
      if (partitions.isPresent()) {
        byKey.put(partitions.get().keyOf(row.get(0)), row.subList(1, row.size()));
      } else if (!"0".equals(row.get(0))) { // no GROUP BY: an empty table answers one zero row
        byKey.put(WHOLE_TABLE, row);
      }
    }
    return byKey;
  }

  private boolean same(int index, String expected, String actual) {
    if (expected == null || actual == null) {
      return Objects.equals(expected, actual);
    }
    if (index > 0 && floating.get(index - 1)) {
      double a = Double.parseDouble(expected);
      double b = Double.parseDouble(actual);
      return Math.abs(a - b) <= FLOAT_TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
    }
    return new BigDecimal(expected).compareTo(new BigDecimal(actual)) == 0;
  }

  private String figure(int index) {
    return index == 0 ? "row_count" : "sum(" + measures.get(index - 1) + ")";
  }

  /** A partition one side does not have: no rows, no sums. */
  private List<String> zero() {
    List<String> none = new ArrayList<>();
    none.add("0");
    for (int i = 0; i < measures.size(); i++) {
      none.add(null);
    }
    return none;
  }
}
