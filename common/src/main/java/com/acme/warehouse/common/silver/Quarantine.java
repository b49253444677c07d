package com.acme.warehouse.common.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import com.acme.warehouse.common.scd.AppendOnlyInsert;
import com.acme.warehouse.common.scd.ScdResult;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Rows silver cannot accept, kept with the rule they broke, the reason and where they came from, in
 * the entity's quarantine table: never dropped. Written append-only and keyed by their origin
 * (file, line, rule), so re-running a batch adds nothing.
 */
public final class Quarantine {
  public static final String RULE = "rule";
  public static final String REASON = "reason";
  public static final String RECORD = "record";

  private Quarantine() {}

  /**
   * Turns rejected rows into quarantine rows: origin columns, rule, reason, and the row as it
   * arrived (the {@code record} columns) as JSON.
   *
   * @param origin the columns that say where a row came from (e.g. file and line)
   * @param rule the rule broken, a column of {@code rejected}
   * @param reason why, a column of {@code rejected}
   * @param record the columns of the row as it arrived
   */
  public static Dataset<Row> rows(
      Dataset<Row> rejected,
      List<String> origin,
      Column rule,
      Column reason,
      List<String> record,
      String runId) {
    Column[] columns = new Column[origin.size() + 4];
    for (int i = 0; i < origin.size(); i++) {
      columns[i] = col(origin.get(i));
    }
    columns[origin.size()] = rule.as(RULE);
    columns[origin.size() + 1] = reason.as(REASON);
    columns[origin.size() + 2] =
        to_json(
                struct(
                    record.stream()
                        .map(org.apache.spark.sql.functions::col)
                        .toArray(Column[]::new)))
            .as(RECORD);
    columns[origin.size() + 3] = lit(runId).as("_quarantined_by_run");
    return rejected.select(columns);
  }

  /** Appends quarantine rows not already there; returns how many were new. */
  public static long append(
      SparkSession spark, Dataset<Row> rows, String location, List<String> origin) {
    if (rows.isEmpty()) {
      // An empty quarantine still exists: "nothing quarantined" is an answer, not an error.
      if (!io.delta.tables.DeltaTable.isDeltaTable(spark, location)) {
        rows.write().format("delta").save(location);
      }
      return 0;
    }
    List<String> key = new java.util.ArrayList<>(origin);
    key.add(RULE);
    // Keyed by origin and rule, so a re-run (with another run id) adds nothing.
    ScdResult result = AppendOnlyInsert.apply(spark, rows, location, key, Optional.empty());
    return result.inserted();
  }
}
