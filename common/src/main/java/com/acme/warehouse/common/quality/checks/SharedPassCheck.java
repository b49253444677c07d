package com.acme.warehouse.common.quality.checks;

import com.acme.warehouse.common.quality.CheckSpec;

/** A check always answered by the table's shared aggregation. */
abstract class SharedPassCheck extends TableCheck {
  SharedPassCheck(CheckSpec spec) {
    super(spec);
  }

  @Override
  public final boolean inSharedPass() {
    return true;
  }
}
