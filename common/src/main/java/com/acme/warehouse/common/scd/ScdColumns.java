package com.acme.warehouse.common.scd;

import java.io.Serializable;
import java.util.List;

/** Names of the columns the SCD engine maintains; the defaults follow dbt snapshots. */
public final class ScdColumns implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String validFrom;
  private final String validTo;
  private final String isCurrent;
  private final String isDeleted;
  private final String versionKey;

  public ScdColumns(
      String validFrom, String validTo, String isCurrent, String isDeleted, String versionKey) {
    this.validFrom = validFrom;
    this.validTo = validTo;
    this.isCurrent = isCurrent;
    this.isDeleted = isDeleted;
    this.versionKey = versionKey;
  }

  public static ScdColumns defaults() {
    return new ScdColumns("valid_from", "valid_to", "is_current", "is_deleted", "version_key");
  }

  public String validFrom() {
    return validFrom;
  }

  public String validTo() {
    return validTo;
  }

  public String isCurrent() {
    return isCurrent;
  }

  public String isDeleted() {
    return isDeleted;
  }

  /** SHA-256 of the business key and {@code valid_from}: one per version. */
  public String versionKey() {
    return versionKey;
  }

  public List<String> all() {
    return List.of(validFrom, validTo, isCurrent, isDeleted, versionKey);
  }
}
