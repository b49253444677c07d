package com.acme.warehouse.common.quality.checks;

import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.CheckSpec;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How one declared check is answered; one subclass per {@link CheckSpec.Type}. A check either joins
 * the table's one shared aggregation (it adds two aggregates and judges their values) or needs a
 * pass of its own.
 */
public abstract class TableCheck {
  protected final CheckSpec spec;

  protected TableCheck(CheckSpec spec) {
    this.spec = spec;
  }

  /** The check that answers a declared check. */
  public static TableCheck of(CheckSpec spec) {
    return spec.type().check(spec);
  }

  public CheckSpec spec() {
    return spec;
  }

  /**
   * Makes the rows of the shared pass ready for this check (a relationship to a small parent joins
   * its keys in); returns them. Called once per check before the pass, in declared order.
   */
  public Dataset<Row> prepare(CheckContext context, Dataset<Row> shared) {
    return shared;
  }

  /** Whether this check is answered by the shared aggregation (after {@link #prepare}). */
  public boolean inSharedPass() {
    return false;
  }

  /**
   * The two aggregates this check adds to the shared pass: the offending rows (or the value it
   * judges), then the rows in scope.
   */
  public List<Column> aggregates() {
    throw new UnsupportedOperationException(spec.name() + " has a pass of its own");
  }

  /** The result from this check's two aggregates, at {@code at} and {@code at + 1} of the row. */
  public CheckResult judge(CheckContext context, Dataset<Row> shared, Row row, int at) {
    throw new UnsupportedOperationException(spec.name() + " has a pass of its own");
  }

  /** The result of this check's own pass over the table. */
  public CheckResult runAlone(CheckContext context) {
    throw new UnsupportedOperationException(spec.name() + " is answered by the shared pass");
  }

  /** The two aggregates of a rule rows keep one at a time: rows in scope breaking it, in scope. */
  static List<Column> offendingAndInScope(CheckSpec spec, Column breaks) {
    Column scope = CheckContext.scope(spec);
    return List.of(sum(when(scope.and(breaks), 1).otherwise(0)), sum(when(scope, 1).otherwise(0)));
  }

  static long longAt(Row row, int at) {
    return row.isNullAt(at) ? 0 : ((Number) row.get(at)).longValue();
  }

  /** {@code [min, max]} with the open ends as infinities. */
  static String bounds(CheckSpec check) {
    return "["
        + check.min().map(TableCheck::number).orElse("-inf")
        + ", "
        + check.max().map(TableCheck::number).orElse("+inf")
        + "]";
  }

  private static String number(double value) {
    return value == Math.rint(value)
        ? String.format(Locale.ROOT, "%.0f", value)
        : Double.toString(value);
  }
}
