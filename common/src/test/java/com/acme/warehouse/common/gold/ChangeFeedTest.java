package com.acme.warehouse.common.gold;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.silver.ScopedReplace;
import com.acme.warehouse.common.testing.SparkTestBase;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The net changes of a table between two versions, what gold jobs recompute from: a rebuild with
 * the same rows changes nothing, a moved value is its old and new row, and a table without a feed
 * for the range says so (the caller rebuilds whole) until the feed is turned on.
 */
class ChangeFeedTest extends SparkTestBase {
  private static final String DDL = "id INT, name STRING";

  @Test
  void aRebuiltTableChangesOnlyTheRowsWhoseValuesMoved() {
    String table = path("dim");
    GoldTables.replace(df(DDL, "{\"id\":1,\"name\":\"a\"}", "{\"id\":2,\"name\":\"b\"}"), table);
    long first = ChangeFeed.version(spark, table);
    GoldTables.replace(df(DDL, "{\"id\":1,\"name\":\"a\"}", "{\"id\":2,\"name\":\"b\"}"), table);
    long same = ChangeFeed.version(spark, table);
    GoldTables.replace(
        df(
            DDL,
            "{\"id\":1,\"name\":\"a\"}",
            "{\"id\":2,\"name\":\"B\"}",
            "{\"id\":3,\"name\":\"c\"}"),
        table);
    long moved = ChangeFeed.version(spark, table);

    assertThat(ChangeFeed.netChanges(spark, table, first, same).orElseThrow().count()).isZero();
    assertSameRows(
        df(
            DDL,
            "{\"id\":2,\"name\":\"b\"}",
            "{\"id\":2,\"name\":\"B\"}",
            "{\"id\":3,\"name\":\"c\"}"),
        ChangeFeed.netChanges(spark, table, first, moved).orElseThrow());
    assertThat(ChangeFeed.netChanges(spark, table, moved, moved).orElseThrow().count()).isZero();
  }

  @Test
  void aTableWithoutAFeedAnswersNothingUntilTheFeedIsOn() {
    String table = path("old");
    df(DDL, "{\"id\":1,\"name\":\"a\"}").write().format("delta").save(table);
    df(DDL, "{\"id\":2,\"name\":\"b\"}").write().format("delta").mode("append").save(table);
    assertThat(ChangeFeed.netChanges(spark, table, 0, 1)).isEmpty();

    ChangeFeed.enable(spark, table);
    long on = ChangeFeed.version(spark, table);
    ChangeFeed.enable(spark, table);
    assertThat(ChangeFeed.version(spark, table)).as("enabled once only").isEqualTo(on);
    df(DDL, "{\"id\":3,\"name\":\"c\"}").write().format("delta").mode("append").save(table);
    assertSameRows(
        df(DDL, "{\"id\":3,\"name\":\"c\"}"),
        ChangeFeed.netChanges(spark, table, on, on + 1).orElseThrow());
  }

  @Test
  void aScopedReplaceOnTwoKeyColumnsReplacesOnlyItsScopesAndItsFeedNamesThem() {
    String ddl = "agent STRING, day STRING, n INT";
    String table = path("daily");
    GoldTables.replace(
        df(
            ddl,
            "{\"agent\":\"a\",\"day\":\"d1\",\"n\":1}",
            "{\"agent\":\"a\",\"day\":\"d2\",\"n\":2}",
            "{\"agent\":\"b\",\"day\":\"d1\",\"n\":3}"),
        table);
    long before = ChangeFeed.version(spark, table);
    Dataset<Row> scopes =
        df(
            "agent STRING, day STRING",
            "{\"agent\":\"a\",\"day\":\"d1\"}",
            "{\"agent\":\"a\",\"day\":\"d2\"}");
    ScopedReplace.Counts counts =
        ScopedReplace.apply(
            spark,
            df(ddl, "{\"agent\":\"a\",\"day\":\"d1\",\"n\":5}"),
            scopes,
            table,
            List.of("agent", "day"),
            List.of("agent", "day"));

    assertThat(counts.upserted).isEqualTo(1);
    assertThat(counts.deleted).isEqualTo(1);
    assertSameRows(
        df(
            ddl,
            "{\"agent\":\"a\",\"day\":\"d1\",\"n\":5}",
            "{\"agent\":\"b\",\"day\":\"d1\",\"n\":3}"),
        spark.read().format("delta").load(table));
    Optional<Dataset<Row>> changed =
        ChangeFeed.netChanges(spark, table, before, ChangeFeed.version(spark, table));
    assertSameRows(
        df(
            ddl,
            "{\"agent\":\"a\",\"day\":\"d1\",\"n\":1}",
            "{\"agent\":\"a\",\"day\":\"d1\",\"n\":5}",
            "{\"agent\":\"a\",\"day\":\"d2\",\"n\":2}"),
        changed.orElseThrow());
  }
}
