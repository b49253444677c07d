package com.acme.warehouse.common.scd;

/** What one merge did. */
public final class ScdResult {
  private final long rowsIn;
  private final long inserted;
  private final long updated;
  private final long deletes;
  private final long unchanged;

  ScdResult(long rowsIn, long inserted, long updated, long deletes, long unchanged) {
    this.rowsIn = rowsIn;
    this.inserted = inserted;
    this.updated = updated;
    this.deletes = deletes;
    this.unchanged = unchanged;
  }

  /** Rows of the batch. */
  public long rowsIn() {
    return rowsIn;
  }

  /** Versions (or rows, for Type 1 and facts) added. */
  public long inserted() {
    return inserted;
  }

  /**
   * Existing versions whose interval changed (closed, or split by a late row), or Type 1 rows
   * overwritten.
   */
  public long updated() {
    return updated;
  }

  /** Keys found deleted in a full extract and treated per the hard-delete policy. */
  public long deletes() {
    return deletes;
  }

  /** Batch rows that changed nothing (duplicates, unchanged rows, versions already present). */
  public long unchanged() {
    return unchanged;
  }

  @Override
  public String toString() {
    return "rows in "
        + rowsIn
        + ", inserted "
        + inserted
        + ", updated "
        + updated
        + ", deletes "
        + deletes
        + ", unchanged "
        + unchanged;
  }
}
