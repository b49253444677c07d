package com.acme.warehouse.common.quality.checks;

import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.CheckSpec;
import com.acme.warehouse.common.scd.ScdColumns;
import com.acme.warehouse.common.scd.ScdInvariants;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** {@code scd}: the table's versions keep the SCD2 invariants ({@link ScdInvariants}). */
public final class ScdCheck extends TableCheck {
  public ScdCheck(CheckSpec spec) {
    super(spec);
  }

  @Override
  public CheckResult runAlone(CheckContext context) {
    Dataset<Row> broken =
        ScdInvariants.violations(
            context.data.where(CheckContext.scope(spec)),
            spec.columns(),
            ScdColumns.defaults(),
            spec.gapsAllowed());
    long offending = broken.count();
    return context.result(
        spec,
        offending == 0,
        offending,
        -1,
        offending + " versions break the SCD2 invariants",
        offending == 0 ? List.of() : context.sample(broken),
        null);
  }
}
