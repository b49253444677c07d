package com.acme.warehouse.common.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.opentest4j.AssertionFailedError;

/**
 * Compares DataFrames as sorted rows, by column name, never by position. Cells are equal as values,
 * not as objects: decimals by value ({@code 1.50} = {@code 1.5}), floating point within a tolerance
 * (NaN equals NaN), binary by content, arrays, maps and nested rows element by element. The
 * messages name the differing row and column. (Written here rather than taken from
 * spark-testing-base, which has no Scala 2.13 build for Spark 3.5: the suite runs on both.)
 */
public final class DataFrameAssert {
  private DataFrameAssert() {}

  /** Same column names and types, and the same rows (as multisets). */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    assertSameRows(expected, actual, 0.0);
  }

  /** As {@link #assertSameRows(Dataset, Dataset)}, with a tolerance for floating-point cells. */
  public static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual, double tolerance) {
    StructType expectedSchema = expected.schema();
    assertSameColumns(expectedSchema, actual.schema());
    Column[] byName =
        Arrays.stream(expectedSchema.fieldNames()).map(actual::col).toArray(Column[]::new);
    List<Row> want = sorted(expected.collectAsList());
    List<Row> got = sorted(actual.select(byName).collectAsList());
    if (want.size() != got.size()) {
      throw new AssertionFailedError(
          "expected "
              + want.size()
              + " rows but got "
              + got.size()
              + "\n"
              + multisetDifference(want, got, expectedSchema),
          render(want),
          render(got));
    }
    for (int i = 0; i < want.size(); i++) {
      Row w = want.get(i);
      Row g = got.get(i);
      if (!approxEquals(w, g, tolerance)) {
        throw new AssertionFailedError(
            "row "
                + i
                + " (of "
                + want.size()
                + ", sorted) differs "
                + differingColumns(w, g, expectedSchema, tolerance)
                + "\n  expected: "
                + w
                + "\n  actual:   "
                + g
                + "\n"
                + multisetDifference(want, got, expectedSchema),
            render(want),
            render(got));
      }
    }
  }

  private static void assertSameColumns(StructType expected, StructType actual) {
    Map<String, StructField> actualFields = new HashMap<>();
    for (StructField field : actual.fields()) {
      actualFields.put(field.name(), field);
    }
    List<String> problems = new ArrayList<>();
    for (StructField field : expected.fields()) {
      StructField other = actualFields.remove(field.name());
      if (other == null) {
        problems.add("missing column '" + field.name() + "'");
      } else if (!other.dataType().sameType(field.dataType())) {
        problems.add(
            "column '"
                + field.name()
                + "' is "
                + other.dataType().simpleString()
                + ", expected "
                + field.dataType().simpleString());
      }
    }
    for (String extra : actualFields.keySet()) {
      problems.add("unexpected column '" + extra + "'");
    }
    if (!problems.isEmpty()) {
      throw new AssertionFailedError(
          "schemas differ: "
              + String.join("; ", problems)
              + "\n  expected: "
              + expected.simpleString()
              + "\n  actual:   "
              + actual.simpleString());
    }
  }

  private static String differingColumns(Row w, Row g, StructType schema, double tolerance) {
    List<String> columns = new ArrayList<>();
    for (int c = 0; c < schema.fields().length; c++) {
      if (!approxEquals(w.get(c), g.get(c), tolerance)) {
        columns.add(
            "'" + schema.fields()[c].name() + "': expected " + w.get(c) + " but was " + g.get(c));
      }
    }
    return "in column " + String.join(", ", columns);
  }

  /** Whether two cells (or rows) hold the same value. */
  static boolean approxEquals(Object a, Object b, double tolerance) {
    if (a == null || b == null) {
      return a == b;
    }
    if (a instanceof Row && b instanceof Row) {
      Row x = (Row) a;
      Row y = (Row) b;
      if (x.length() != y.length()) {
        return false;
      }
      for (int i = 0; i < x.length(); i++) {
        if (!approxEquals(x.get(i), y.get(i), tolerance)) {
          return false;
        }
      }
      return true;
    }
    if ((a instanceof Double || a instanceof Float)
        && (b instanceof Double || b instanceof Float)) {
      double x = ((Number) a).doubleValue();
      double y = ((Number) b).doubleValue();
      return Double.isNaN(x) ? Double.isNaN(y) : Math.abs(x - y) <= tolerance;
    }
    if (a instanceof java.math.BigDecimal && b instanceof java.math.BigDecimal) {
      return ((java.math.BigDecimal) a).compareTo((java.math.BigDecimal) b) == 0;
    }
    if (a instanceof byte[] && b instanceof byte[]) {
      return Arrays.equals((byte[]) a, (byte[]) b);
    }
    if (a instanceof scala.collection.Seq && b instanceof scala.collection.Seq) {
      return approxEquals(
          elements((scala.collection.Seq<?>) a), elements((scala.collection.Seq<?>) b), tolerance);
    }
    if (a instanceof scala.collection.Map && b instanceof scala.collection.Map) {
      Map<Object, Object> x = entries((scala.collection.Map<?, ?>) a);
      Map<Object, Object> y = entries((scala.collection.Map<?, ?>) b);
      if (!x.keySet().equals(y.keySet())) {
        return false;
      }
      for (Object key : x.keySet()) {
        if (!approxEquals(x.get(key), y.get(key), tolerance)) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof List && b instanceof List) {
      List<?> x = (List<?>) a;
      List<?> y = (List<?>) b;
      if (x.size() != y.size()) {
        return false;
      }
      for (int i = 0; i < x.size(); i++) {
        if (!approxEquals(x.get(i), y.get(i), tolerance)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** A Scala sequence's elements, through the iterator both Scala 2.12 and 2.13 have. */
  private static List<Object> elements(scala.collection.Seq<?> seq) {
    List<Object> list = new ArrayList<>();
    scala.collection.Iterator<?> it = seq.iterator();
    while (it.hasNext()) {
      list.add(it.next());
    }
    return list;
  }

  private static Map<Object, Object> entries(scala.collection.Map<?, ?> map) {
    Map<Object, Object> out = new HashMap<>();
    scala.collection.Iterator<? extends scala.Tuple2<?, ?>> it = map.iterator();
    while (it.hasNext()) {
      scala.Tuple2<?, ?> entry = it.next();
      out.put(entry._1(), entry._2());
    }
    return out;
  }

  /** Rows only on one side, which is usually what a reader needs to see first. */
  private static String multisetDifference(List<Row> want, List<Row> got, StructType schema) {
    List<String> missing = want.stream().map(Row::toString).collect(Collectors.toList());
    List<String> unexpected = new ArrayList<>();
    for (Row row : got) {
      if (!missing.remove(row.toString())) {
        unexpected.add(row.toString());
      }
    }
    return "columns: "
        + String.join(", ", schema.fieldNames())
        + "\n  missing rows:    "
        + missing
        + "\n  unexpected rows: "
        + unexpected;
  }

  private static List<Row> sorted(List<Row> rows) {
    List<Row> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Row::toString));
    return copy;
  }

  private static String render(List<Row> rows) {
    return rows.stream().map(Row::toString).collect(Collectors.joining("\n"));
  }
}
