package com.acme.warehouse.common.quality.checks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import com.acme.warehouse.common.quality.CheckSpec;
import org.apache.spark.sql.Column;

/** {@code accepted_values}: a non-null value is one of the listed ones (compared as text). */
public final class AcceptedValuesCheck extends RowRuleCheck {
  public AcceptedValuesCheck(CheckSpec spec) {
    super(spec);
  }

  @Override
  Column violation() {
    Column value = col(spec.columns().get(0));
    return value.isNotNull().and(not(value.cast("string").isin(spec.values().toArray())));
  }

  @Override
  String describe() {
    return "have a " + spec.columns().get(0) + " outside " + spec.values();
  }
}
