package com.acme.warehouse.common.scd;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** The batch side of a merge: its column lists, the columns it must have, and error samples. */
final class MergeBatch {
  private static final int SAMPLE = 5;

  private MergeBatch() {}

  static Column[] cols(List<String> names) {
    return names.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
  }

  static Column[] cols(String prefix, List<String> names) {
    return names.stream().map(n -> col(prefix + "." + n)).toArray(Column[]::new);
  }

  static void requireColumns(StructType schema, List<String> names, String what, String target) {
    Set<String> present = Set.of(schema.fieldNames());
    List<String> missing =
        names.stream().filter(n -> !present.contains(n)).collect(Collectors.toList());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          target
              + ": "
              + what
              + " "
              + missing
              + " not in the batch (columns: "
              + Arrays.toString(schema.fieldNames())
              + ")");
    }
  }

  /** Up to a few rows of the named columns, rendered for an error message. */
  static String sample(Dataset<Row> rows, List<String> columns) {
    List<String> text = new ArrayList<>();
    for (Row row : rows.select(cols(columns)).takeAsList(SAMPLE)) {
      text.add(row.toString());
    }
    return String.join(", ", text);
  }
}
