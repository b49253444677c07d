package com.acme.warehouse.common.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.acme.warehouse.common.gold.ChangeFeed;
import com.acme.warehouse.common.spark.ScalaSeqs;
import io.delta.tables.DeltaTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    if (!DeltaTable.isDeltaTable(spark, target)) {
      rows.write().format("delta").option(ChangeFeed.PROPERTY, "true").save(target);
      return new Counts(rows.count(), 0);
    }
    ChangeFeed.enable(spark, target);
    Dataset<Row> existing =
        spark.read().format("delta").load(target).join(scopes, ScalaSeqs.of(scope), "left_semi");
    Dataset<Row> stale =
        existing.join(
            rows.select(key.stream().map(functions::col).toArray(Column[]::new)),
            ScalaSeqs.of(key),
            "left_anti");
    Dataset<Row> staged =
        rows.withColumn(ACTION, lit("upsert"))
            .unionByName(stale.withColumn(ACTION, lit("delete")))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long deleted = staged.where(col(ACTION).equalTo("delete")).count();
      long upserted = staged.count() - deleted;
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
          .merge(staged.as("s"), sameKey)
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
}
