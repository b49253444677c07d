package com.acme.warehouse.common.quality.checks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.acme.warehouse.common.quality.CheckSpec;
import org.apache.spark.sql.Column;

/** {@code not_null}: none of the columns is null. */
public final class NotNullCheck extends RowRuleCheck {
  public NotNullCheck(CheckSpec spec) {
    super(spec);
  }

  @Override
  Column violation() {
    Column any = lit(false);
    for (String column : spec.columns()) {
      any = any.or(col(column).isNull());
    }
    return any;
  }

  @Override
  String describe() {
    return "have a null in " + spec.columns();
  }
}
