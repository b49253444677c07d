package com.acme.warehouse.common.quality.checks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.job.TableLocations;
import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.CheckSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the checks of one table share while they run: the table and its rows, the job's counters,
 * the time of the checks, and how a result and its sample of offending rows are made. One per run
 * of a table's checks, on the driver.
 */
public final class CheckContext {
  /** The prefix of the parent-key columns that relationship checks join into the shared pass. */
  static final String PARENT_PREFIX = "_parent_";

  final SparkSession spark;
  final TableLocations tables;
  final TableId table;
  final Dataset<Row> data;
  final Counters counters;
  final Instant now;
  private final int sampleSize;
  private int parents;

  public CheckContext(
      SparkSession spark,
      TableLocations tables,
      TableId table,
      Counters counters,
      Instant now,
      int sampleSize) {
    this.spark = spark;
    this.tables = tables;
    this.table = table;
    this.data = read(spark, tables, table.toString());
    this.counters = counters;
    this.now = now;
    this.sampleSize = sampleSize;
  }

  /** What a job reported, for reconciliation against its counters. */
  public static final class Counters {
    final long read;
    final long written;
    final long quarantined;
    final long deduplicated;

    public Counters(long read, long written, long quarantined, long deduplicated) {
      this.read = read;
      this.written = written;
      this.quarantined = quarantined;
      this.deduplicated = deduplicated;
    }
  }

  /** The checked table's rows. */
  public Dataset<Row> data() {
    return data;
  }

  Dataset<Row> read(String tableId) {
    return read(spark, tables, tableId);
  }

  private static Dataset<Row> read(SparkSession spark, TableLocations tables, String tableId) {
    return spark.read().format("delta").load(tables.of(TableId.parse(tableId)));
  }

  /** A column name for one more parent key joined into the shared pass. */
  String nextParentColumn() {
    return PARENT_PREFIX + parents++;
  }

  /** The rows a check looks at: those matching its {@code where}, or all. */
  static Column scope(CheckSpec check) {
    return check.where().map(w -> expr(w)).orElse(lit(true));
  }

  /** The table's own columns (without joined parent keys), for samples. */
  private static Column[] ownColumns(Dataset<Row> rows) {
    return Arrays.stream(rows.columns())
        .filter(c -> !c.startsWith(PARENT_PREFIX))
        .map(c -> col(c))
        .toArray(Column[]::new);
  }

  /** A few rows of the shared pass that match {@code offending}, with the table's own columns. */
  List<String> sampleWhere(Dataset<Row> shared, Column offending) {
    return sample(shared.where(offending).select(ownColumns(shared)));
  }

  /** A few offending rows as JSON: a bounded take, never a collect of the table. */
  List<String> sample(Dataset<Row> offending) {
    List<String> rows = new ArrayList<>();
    for (Row row : offending.select(to_json(struct(col("*")))).takeAsList(sampleSize)) {
      rows.add(row.getString(0));
    }
    return rows;
  }

  CheckResult result(
      CheckSpec check,
      boolean ok,
      long offending,
      long checked,
      String detail,
      List<String> sample,
      Double value) {
    return new CheckResult(
        table.toString(),
        check.name(),
        check.type().id(),
        check.severity(),
        ok ? CheckResult.PASSED : CheckResult.FAILED,
        offending,
        checked,
        detail,
        sample,
        value);
  }
}
