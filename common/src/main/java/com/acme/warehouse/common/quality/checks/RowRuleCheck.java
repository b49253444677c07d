package com.acme.warehouse.common.quality.checks;

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
abstract class RowRuleCheck extends SharedPassCheck {
  RowRuleCheck(CheckSpec spec) {
    super(spec);
  }

  /** True for a row that breaks the rule. */
  abstract Column violation();

  /** What an offending row has, after "N of M rows". */
  abstract String describe();

  @Override
  public List<Column> aggregates() {
    return offendingAndInScope(spec, violation());
  }

  @Override
  public CheckResult judge(CheckContext context, Dataset<Row> shared, Row row, int at) {
    long offending = longAt(row, at);
    long checked = longAt(row, at + 1);
    List<String> sample =
        offending == 0
            ? List.of()
            : context.sampleWhere(shared, CheckContext.scope(spec).and(violation()));
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
