package com.acme.warehouse.common.quality.checks;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.CheckSpec;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** {@code row_count}: the rows in scope are within [min, max]. */
public final class RowCountCheck extends SharedPassCheck {
  public RowCountCheck(CheckSpec spec) {
    super(spec);
  }

  @Override
  public List<Column> aggregates() {
    return List.of(sum(when(CheckContext.scope(spec), 1).otherwise(0)), lit(0L));
  }

  @Override
  public CheckResult judge(CheckContext context, Dataset<Row> shared, Row row, int at) {
    long rows = longAt(row, at);
    boolean ok =
        spec.min().map(m -> rows >= m).orElse(true) && spec.max().map(m -> rows <= m).orElse(true);
    return context.result(
        spec,
        ok,
        ok ? 0 : 1,
        rows,
        rows + " rows, expected " + bounds(spec),
        List.of(),
        (double) rows);
  }
}
