package com.acme.warehouse.common.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.silver.ScopedReplace;
import com.acme.warehouse.common.testing.SparkTestBase;
import io.delta.tables.DeltaTable;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.util.QueryExecutionListener;
import org.junit.jupiter.api.Test;

/**
 * A fact table rebuilt in time order is files of consecutive stretches of time, and a scoped
 * replace bounded by time rewrites only the files at or after the earliest row it replaces or
 * writes — never leaving the old row of a fact whose time moved.
 */
class TimeOrderedFactsTest extends SparkTestBase {
  private static final long ROWS = 2L * GoldTables.FACT_FILE_ROWS + 10_000;

  /** ROWS facts, id i at minute i, their values {@code n} = 0. */
  private static Dataset<Row> facts() {
    return spark
        .range(0, ROWS)
        .select(col("id"), timestamp_seconds(col("id").multiply(60)).as("at"), lit(0L).as("n"))
        // Shuffled, so the order on disk is the layout's doing.
        .repartition(4, col("id").mod(7));
  }

  private static Dataset<Row> scopes(long... ids) {
    return spark
        .createDataset(Arrays.stream(ids).boxed().collect(Collectors.toList()), Encoders.LONG())
        .toDF("id");
  }

  private static Row lastMerge(String table) {
    return DeltaTable.forPath(spark, table).history(1).head();
  }

  private static long metric(Row commit, String name) {
    scala.collection.Map<String, String> metrics =
        commit.getMap(commit.fieldIndex("operationMetrics"));
    return Long.parseLong(metrics.get(name).get());
  }

  @Test
  void recentFactsRecomputedRewriteOnlyTheLastFile() throws Exception {
    String table = path("recent");
    GoldTables.replaceInTimeOrder(facts(), table, "at");
    Dataset<Row> files = spark.read().format("delta").load(table).select("_metadata.file_path");
    assertThat(files.distinct().count()).as("files of at most FACT_FILE_ROWS").isEqualTo(3);

    long last = ROWS - 1;
    Dataset<Row> recomputed =
        facts()
            .where(col("id").geq(last - 2))
            .withColumn("n", lit(1L))
            .union(
                spark
                    .range(1)
                    .select(
                        lit(ROWS).as("id"),
                        timestamp_seconds(lit(ROWS * 60)).as("at"),
                        lit(1L).as("n")));
    AtomicLong filesRead = new AtomicLong(-1);
    QueryExecutionListener merges =
        new QueryExecutionListener() {
          @Override
          public void onSuccess(String name, QueryExecution execution, long nanos) {
            execution
                .executedPlan()
                .metrics()
                .get("numTargetFilesAfterSkipping")
                .foreach(metric -> filesRead.getAndSet(metric.value()));
          }

          @Override
          public void onFailure(String name, QueryExecution execution, Exception error) {}
        };
    spark.listenerManager().register(merges);
    ScopedReplace.Counts counts;
    try {
      counts =
          ScopedReplace.apply(
              spark,
              recomputed,
              scopes(last - 3, last - 2, last - 1, last, ROWS),
              table,
              List.of("id"),
              List.of("id"),
              Optional.of("at"));
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.listenerManager().unregister(merges);
    }

    assertThat(counts.upserted).isEqualTo(4);
    assertThat(counts.deleted).as("id last-3 yields no fact any more").isEqualTo(1);
    Row merge = lastMerge(table);
    assertThat(merge.<String>getAs("operation")).isEqualTo("MERGE");
    assertThat(filesRead.get()).as("the MERGE reads the newest file only").isEqualTo(1);
    assertThat(metric(merge, "numTargetFilesRemoved")).as("and rewrites it").isEqualTo(1);
    Dataset<Row> held = spark.read().format("delta").load(table);
    assertThat(held.count()).isEqualTo(ROWS);
    assertThat(held.where(col("n").equalTo(1)).count()).isEqualTo(4);
    assertThat(held.where(col("id").equalTo(last - 3)).count()).isZero();
  }

  @Test
  void aFactWhoseTimeMovedLaterLeavesNoOldRowBehind() {
    String table = path("moved");
    GoldTables.replaceInTimeOrder(facts(), table, "at");

    // Fact 0 (the first file) now happens after every other; fact 1 yields nothing any more.
    Dataset<Row> recomputed =
        spark
            .range(1)
            .select(lit(0L).as("id"), timestamp_seconds(lit(ROWS * 60)).as("at"), lit(1L).as("n"));
    ScopedReplace.apply(
        spark, recomputed, scopes(0, 1), table, List.of("id"), List.of("id"), Optional.of("at"));

    Dataset<Row> held = spark.read().format("delta").load(table);
    assertThat(held.count()).isEqualTo(ROWS - 1);
    assertSameRows(recomputed, held.where(col("id").leq(1)));
  }
}
