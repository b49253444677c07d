package com.acme.warehouse.common.quality.checks;

import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.CheckSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code reconciliation}. Between tables: this table's rows (in scope) equal the sum of the {@code
 * out} tables' rows. Of the run's counters (no {@code out}): the job read as many rows as it wrote,
 * quarantined and deduplicated.
 */
public final class ReconciliationCheck extends TableCheck {
  public ReconciliationCheck(CheckSpec spec) {
    super(spec);
  }

  @Override
  public CheckResult runAlone(CheckContext context) {
    return spec.outTables().isEmpty() ? ofCounters(context) : ofTables(context);
  }

  private CheckResult ofCounters(CheckContext context) {
    CheckContext.Counters counters = context.counters;
    long accounted = counters.written + counters.quarantined + counters.deduplicated;
    long difference = counters.read - accounted;
    String detail =
        String.format(
            Locale.ROOT,
            "read %d = written %d + quarantined %d + deduplicated %d%s",
            counters.read,
            counters.written,
            counters.quarantined,
            counters.deduplicated,
            difference == 0 ? "" : " is off by " + difference);
    return context.result(
        spec,
        difference == 0,
        Math.abs(difference),
        counters.read,
        detail,
        List.of(),
        (double) difference);
  }

  private CheckResult ofTables(CheckContext context) {
    long in = context.data.where(CheckContext.scope(spec)).count();
    long out = 0;
    List<String> parts = new ArrayList<>();
    for (String other : spec.outTables()) {
      long rows = context.read(other).count();
      parts.add(other + " " + rows);
      out += rows;
    }
    long difference = in - out;
    String detail =
        context.table
            + " "
            + in
            + " = "
            + String.join(" + ", parts)
            + (difference == 0 ? "" : " is off by " + difference);
    return context.result(
        spec, difference == 0, Math.abs(difference), in, detail, List.of(), (double) difference);
  }
}
