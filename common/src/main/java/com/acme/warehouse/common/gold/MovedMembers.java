package com.acme.warehouse.common.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.when;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Which members of an SCD2 dimension a change moved, and from which instant on. A fact is keyed to
 * the version valid at its time ({@link Dimensions#keyAt}), so when a member's versions change only
 * its facts at or after the earliest instant whose valid version (or that version's values) differs
 * can change. The usual change — a delivery closes the current version and opens the next — then
 * recomputes the member's facts since the new version, not the member's whole history.
 */
public final class MovedMembers {
  /** The moved member's business key. */
  public static final String ID = "moved_id";

  /** The earliest instant at which the member's facts may be keyed differently. */
  public static final String SINCE = "moved_since";

  /** What closing a version changes; every other column identifies the version and its values. */
  private static final Set<String> VALIDITY_END = Set.of("valid_to", "is_current");

  private static final Timestamp OPEN_END = Timestamp.from(Instant.parse("9999-12-31T00:00:00Z"));

  private MovedMembers() {}

  /**
   * Each moved member ({@link #ID}) with the instant it moved from ({@link #SINCE}), from a
   * dimension's changed rows, removed and added images alike ({@link ChangeFeed#netChanges}). A
   * version whose images differ only in their end moved from the earlier end (facts before it keep
   * the version); any other changed version — new, removed, its start or its values changed — from
   * its start. A member whose changed rows differ only in {@code is_current} did not move.
   *
   * @param changedVersions dimension rows with {@code id}, {@code valid_from} and {@code valid_to}
   */
  public static Dataset<Row> since(Dataset<Row> changedVersions, String id) {
    Column[] version =
        Arrays.stream(changedVersions.columns())
            .filter(name -> !VALIDITY_END.contains(name))
            .map(functions::col)
            .toArray(Column[]::new);
    Column end = coalesce(col("valid_to"), lit(OPEN_END));
    Dataset<Row> images =
        changedVersions
            .groupBy(version)
            .agg(
                count(lit(1)).as("_images"),
                min(end).as("_earlier_end"),
                max(end).as("_later_end"));
    Column movedFrom =
        when(col("_images").equalTo(1), col("valid_from"))
            .when(col("_earlier_end").lt(col("_later_end")), col("_earlier_end"));
    return images
        .groupBy(col(id).as(ID))
        .agg(min(movedFrom).as(SINCE))
        .where(col(SINCE).isNotNull());
  }

  /**
   * The rows that name a moved member ({@code member}) at or after the instant it moved ({@code
   * at}): those whose dimension keys may differ now.
   */
  public static Dataset<Row> rowsOf(
      Dataset<Row> rows, Column member, Column at, Dataset<Row> moved) {
    return rows.join(moved, member.equalTo(col(ID)).and(at.geq(col(SINCE))), "left_semi");
  }
}
