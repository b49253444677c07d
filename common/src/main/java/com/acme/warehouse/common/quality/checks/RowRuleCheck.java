package com.acme.warehouse.common.quality.checks;

import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.CheckSpec;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A rule each row must keep on its own (not null, accepted values, range): counted in the shared
 * pass; a failure fetches a few offending rows with a second, limited query.
 */
abstract class RowRuleCheck extends TableCheck {
  RowRuleCheck(CheckSpec spec) {
    super(spec);
  }

  /** True for a row that breaks the rule. */
  abstract Column violation();

  /** What an offending row has, after "N of M rows". */
  abstract String describe();

  @Override
  public boolean inSharedPass() {
    return true;
  }

  @Override
  public List<Column> aggregates() {
    Column scope = CheckContext.scope(spec);
    return List.of(
        sum(when(scope.and(violation()), 1).otherwise(0)), sum(when(scope, 1).otherwise(0)));
  }

  @Override
  public CheckResult judge(CheckContext context, Dataset<Row> shared, Row row, int at) {
    long offending = longAt(row, at);
    long checked = longAt(row, at + 1);
    List<String> sample =
        offending == 0
            ? List.of()
            : context.sample(
                shared
                    .where(CheckContext.scope(spec).and(violation()))
                    .select(CheckContext.ownColumns(shared)));
    return context.result(
        spec,
        offending == 0,
        offending,
        checked,
        offending + " of " + checked + " rows " + describe(),
        sample,
        null);
  }
}
