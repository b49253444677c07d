package com.acme.warehouse.common.quality.checks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.acme.warehouse.common.quality.CheckSpec;
import org.apache.spark.sql.Column;

/** {@code range}: a non-null value lies within [min, max] (either end may be open). */
public final class RangeCheck extends RowRuleCheck {
  public RangeCheck(CheckSpec spec) {
    super(spec);
  }

  @Override
  Column violation() {
    Column value = col(spec.columns().get(0)).cast("double");
    Column outside = lit(false);
    if (spec.min().isPresent()) {
      outside = outside.or(value.lt(spec.min().get()));
    }
    if (spec.max().isPresent()) {
      outside = outside.or(value.gt(spec.max().get()));
    }
    return value.isNotNull().and(outside);
  }

  @Override
  String describe() {
    return "have a " + spec.columns().get(0) + " outside " + bounds(spec);
  }
}
