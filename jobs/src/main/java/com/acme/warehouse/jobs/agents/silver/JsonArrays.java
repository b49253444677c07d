package com.acme.warehouse.jobs.agents.silver;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;

import com.acme.warehouse.jobs.silver.TypedRows;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/** JSON arrays of strings as they arrive from Postgres exports ({@code ["a","b"]}). */
final class JsonArrays {
  private JsonArrays() {}

  /**
   * Replaces the typed text column {@code _t_<field>} by an {@code array<string>}, sorted (the
   * order of a set of tags carries no meaning, so a reordering is not a change); a value that is
   * not a JSON array of strings breaks rule {@code <field>_not_a_json_array}.
   */
  static Dataset<Row> parse(Dataset<Row> typed, String field) {
    Column text = col(TypedRows.TYPED + field);
    Column array =
        from_json(
            text, DataTypes.createArrayType(DataTypes.StringType), Map.of("mode", "PERMISSIVE"));
    return TypedRows.withRule(
            typed,
            text.isNotNull().and(array.isNull()),
            field + "_not_a_json_array",
            concat(lit(field + " '"), text, lit("' is not a JSON array of strings")))
        .withColumn(TypedRows.TYPED + field, array_sort(array));
  }
}
