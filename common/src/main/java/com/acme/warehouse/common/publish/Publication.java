package com.acme.warehouse.common.publish;

import java.util.List;

/** What publishing one gold table did, for the run log. */
public final class Publication {
  /** Nothing changed since the last publish: nothing was sent. */
  public static final String UNCHANGED = "unchanged";

  /** The whole table was replaced. */
  public static final String REPLACED = "replaced";

  /** Only the changed partitions were replaced. */
  public static final String PARTITIONS = "partitions";

  /** Gold stays where it is (the Delta sink). */
  public static final String IN_PLACE = "in_place";

  public final String target;
  public final String mode;
  public final long rows;
  public final List<String> partitions;
  public final List<String> addedColumns;

  /** What the parity check read back and found equal; empty when nothing was sent. */
  public final String parity;

  public Publication(
      String target,
      String mode,
      long rows,
      List<String> partitions,
      List<String> addedColumns,
      String parity) {
    this.target = target;
    this.mode = mode;
    this.rows = rows;
    this.partitions = List.copyOf(partitions);
    this.addedColumns = List.copyOf(addedColumns);
    this.parity = parity;
  }

  static Publication unchanged(String target) {
    return new Publication(target, UNCHANGED, 0, List.of(), List.of(), "");
  }
}
