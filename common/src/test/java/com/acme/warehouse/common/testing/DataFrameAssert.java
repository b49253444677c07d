package com.acme.warehouse.common.testing;

import com.holdenkarau.spark.testing.DataFrameSuiteBase$;
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
 * Compares DataFrames as sorted rows, by column name, never by position. Cell equality is
 * spark-testing-base's row comparison (decimals, doubles, timestamps, arrays, maps, nested rows);
 * the messages name the differing row and column.
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
      if (!DataFrameSuiteBase$.MODULE$.approxEquals(w, g, tolerance)) {
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
      Row left = org.apache.spark.sql.RowFactory.create(w.get(c));
      Row right = org.apache.spark.sql.RowFactory.create(g.get(c));
      if (!DataFrameSuiteBase$.MODULE$.approxEquals(left, right, tolerance)) {
        columns.add(
            "'" + schema.fields()[c].name() + "': expected " + w.get(c) + " but was " + g.get(c));
      }
    }
    return "in column " + String.join(", ", columns);
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
