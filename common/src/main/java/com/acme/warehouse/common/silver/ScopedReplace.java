package com.acme.warehouse.common.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.gold.ChangeFeed;
import com.acme.warehouse.common.spark.ScalaSeqs;
import io.delta.tables.DeltaTable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * Replaces what a table holds for some scopes (e.g. the user-mentor pairs new events touched) with
 * freshly computed rows, in one atomic MERGE that reads and rewrites only those scopes: rows with a
 * new key are inserted, changed rows updated, and rows of those scopes that the new computation no
 * longer yields are deleted. Other scopes are not touched, so an incremental run costs what it
 * recomputes. The table keeps a change data feed, so its readers can do the same.
 */
public final class ScopedReplace {
  private static final String ACTION = "_replace_action";

  private ScopedReplace() {}

  /** Counts of what changed. */
  public static final class Counts {
    public final long upserted;
    public final long deleted;

    Counts(long upserted, long deleted) {
      this.upserted = upserted;
      this.deleted = deleted;
    }
  }

  /**
   * @param rows every row the scopes should hold now
   * @param scopes the scopes recomputed (distinct rows of the scope columns), even those now empty
   * @param key the columns identifying a row
   */
  public static Counts apply(
      SparkSession spark,
      Dataset<Row> rows,
      Dataset<Row> scopes,
      String target,
      List<String> key,
      List<String> scope) {
    return apply(spark, rows, scopes, target, key, scope, Optional.empty());
  }

  /**
   * As above, for a table laid out by {@code time} ({@link
   * com.acme.warehouse.common.gold.GoldTables#replaceInTimeOrder}): the MERGE is bounded to the
   * earliest time among the rows recomputed and the rows they replace, so Delta skips the files
   * wholly before it — recent facts recomputed rewrite recent files only.
   */
  public static Counts apply(
      SparkSession spark,
      Dataset<Row> rows,
      Dataset<Row> scopes,
      String target,
      List<String> key,
      List<String> scope,
      Optional<String> time) {
    if (!DeltaTable.isDeltaTable(spark, target)) {
      rows.write().format("delta").option(ChangeFeed.PROPERTY, "true").save(target);
      return new Counts(rows.count(), 0);
    }
    ChangeFeed.enable(spark, target);
    // The held rows of the scopes, read as their key, scope and time only: a delete matches by
    // key, so the scan need not read the rest of the table's columns.
    Set<String> located = new LinkedHashSet<>(key);
    located.addAll(scope);
    time.ifPresent(located::add);
    Dataset<Row> existing =
        spark
            .read()
            .format("delta")
            .load(target)
            .select(located.stream().map(functions::col).toArray(Column[]::new))
            .join(scopes, ScalaSeqs.of(scope), "left_semi");
    Dataset<Row> stale =
        existing.join(
            rows.select(key.stream().map(functions::col).toArray(Column[]::new)),
            ScalaSeqs.of(key),
            "left_anti");
    Dataset<Row> staged =
        rows.withColumn(ACTION, lit("upsert"))
            .unionByName(stale.withColumn(ACTION, lit("delete")), true)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row counts =
          staged
              .agg(sum(when(col(ACTION).equalTo("delete"), 1).otherwise(0)), count(lit(1)))
              .head();
      long deleted = counts.isNullAt(0) ? 0 : counts.getLong(0);
      long upserted = counts.getLong(1) - deleted;
      Map<String, Column> values = new LinkedHashMap<>();
      for (String name : rows.columns()) {
        values.put(name, col("s." + name));
      }
      Column changed = lit(false);
      for (String name : rows.columns()) {
        changed = changed.or(col("t." + name).eqNullSafe(col("s." + name)).equalTo(false));
      }
      Column sameKey = lit(true);
      for (String name : key) {
        sameKey = sameKey.and(col("t." + name).eqNullSafe(col("s." + name)));
      }
      DeltaTable.forPath(spark, target)
          .as("t")
          .merge(staged.as("s"), sameKey.and(notBefore(existing, staged, time)))
          .whenMatched(col("s." + ACTION).equalTo("delete"))
          .delete()
          .whenMatched(changed)
          .update(values)
          .whenNotMatched(col("s." + ACTION).equalTo("upsert"))
          .insert(values)
          .execute();
      return new Counts(upserted, deleted);
    } finally {
      staged.unpersist();
    }
  }

  /**
   * The target rows the MERGE may touch: those at or after the earliest {@code time} of the rows
   * replaced (every held row of the scopes) and of their replacements, or without a time; every row
   * when there is no time.
   */
  private static Column notBefore(
      Dataset<Row> existing, Dataset<Row> staged, Optional<String> time) {
    if (time.isEmpty()) {
      return lit(true);
    }
    String column = time.get();
    Row earliest = existing.select(column).union(staged.select(column)).agg(min(column)).head();
    if (earliest.isNullAt(0)) {
      return lit(true);
    }
    return col("t." + column).geq(lit(earliest.get(0))).or(col("t." + column).isNull());
  }
}
