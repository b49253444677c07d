package com.acme.warehouse.common.scd;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.filter;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * The rules every SCD2 history obeys, as one distributed query returning the rows that break them:
 * {@code (<keys>, rule, detail)}. Empty means the history is sound; nothing is collected.
 *
 * <ul>
 *   <li>at most one current version per key, and a version is current exactly when its {@code
 *       valid_to} is open;
 *   <li>{@code valid_from < valid_to};
 *   <li>no two versions of a key start at the same time, and none overlap;
 *   <li>no gaps: each closed version's {@code valid_to} is the next version's {@code valid_from}.
 *       Under the {@code invalidate} delete policy a gap is what a delete looks like, so {@code
 *       gapsAllowed} skips this rule.
 * </ul>
 */
public final class ScdInvariants {
  public static final String MORE_THAN_ONE_CURRENT = "more_than_one_current";
  public static final String CURRENT_FLAG_MISMATCH = "current_flag_mismatch";
  public static final String EMPTY_INTERVAL = "valid_from_not_before_valid_to";
  public static final String DUPLICATE_START = "duplicate_valid_from";
  public static final String OVERLAP = "overlap";
  public static final String GAP = "gap";

  private ScdInvariants() {}

  public static Dataset<Row> violations(
      Dataset<Row> table, List<String> keys, ScdColumns meta, boolean gapsAllowed) {
    Column[] keyColumns = MergeBatch.cols(keys);
    WindowSpec ordered = Window.partitionBy(keyColumns).orderBy(col(meta.validFrom()));
    WindowSpec whole = Window.partitionBy(keyColumns);
    Column vf = col(meta.validFrom());
    Column vt = col(meta.validTo());
    Column next = col("_next_valid_from");
    Column currents = col("_currents");
    List<Column> checks = new ArrayList<>();
    checks.add(
        check(
            col(meta.isCurrent()).eqNullSafe(lit(true)).notEqual(vt.isNull()),
            CURRENT_FLAG_MISMATCH,
            concat(
                lit("is_current="),
                col(meta.isCurrent()).cast("string"),
                lit(", valid_to="),
                vt.cast("string"))));
    checks.add(
        check(
            vt.isNotNull().and(not(vf.lt(vt))),
            EMPTY_INTERVAL,
            concat(vf.cast("string"), lit(" >= "), vt.cast("string"))));
    checks.add(check(next.eqNullSafe(vf), DUPLICATE_START, vf.cast("string")));
    checks.add(
        check(
            next.isNotNull().and(vt.isNull().or(next.lt(vt))),
            OVERLAP,
            concat(
                lit("next starts "),
                next.cast("string"),
                lit(" before this ends ("),
                vt.cast("string"),
                lit(")"))));
    if (!gapsAllowed) {
      checks.add(
          check(
              next.isNotNull().and(vt.isNotNull()).and(next.gt(vt)),
              GAP,
              concat(lit("ends "), vt.cast("string"), lit(", next starts "), next.cast("string"))));
    }
    checks.add(
        check(
            col(meta.isCurrent()).eqNullSafe(lit(true)).and(currents.gt(1)),
            MORE_THAN_ONE_CURRENT,
            concat(currents.cast("string"), lit(" current versions"))));

    List<Column> out = new ArrayList<>();
    for (String key : keys) {
      out.add(col(key));
    }
    out.add(col("_v.rule").as("rule"));
    out.add(col("_v.detail").as("detail"));
    return table
        .withColumn("_next_valid_from", lead(vf, 1).over(ordered))
        .withColumn("_currents", sum(when(col(meta.isCurrent()), 1).otherwise(0)).over(whole))
        .withColumn("_v", explode(filter(array(checks.toArray(new Column[0])), c -> c.isNotNull())))
        .select(out.toArray(new Column[0]))
        .dropDuplicates();
  }

  /** A (rule, detail) struct when the condition holds, else null. */
  private static Column check(Column condition, String rule, Column detail) {
    return when(condition, struct(lit(rule).as("rule"), detail.as("detail")));
  }
}
