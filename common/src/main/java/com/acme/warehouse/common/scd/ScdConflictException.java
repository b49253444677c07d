package com.acme.warehouse.common.scd;

/**
 * A batch the SCD engine refuses: rows it cannot order into a history (two different rows of one
 * key with the same effective time, a missing key or effective time). The message names the table,
 * the rule and a few offending keys.
 */
public class ScdConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ScdConflictException(String message) {
    super(message);
  }
}
