package com.acme.warehouse.common.scd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.warehouse.common.keys.SurrogateKeys;
import com.acme.warehouse.common.testing.SparkTestBase;
import io.delta.tables.DeltaTable;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** SCD Type 1 and append-only facts, from the same module as SCD2. */
class Scd1AndAppendOnlyTest extends SparkTestBase {
  private static final String DDL = "id BIGINT, tier STRING, updated_at TIMESTAMP";

  private Dataset<Row> table(String target) {
    return spark.read().format("delta").load(target);
  }

  @Test
  void type1OverwritesInPlaceKeepingTheSurrogateKeyAndIgnoresOlderRows() {
    String target = path("type1");
    Scd1Merge.apply(
        spark,
        df(
            DDL,
            "{\"id\":1,\"tier\":\"Gold\",\"updated_at\":\"2024-01-01T00:00:00Z\"}",
            "{\"id\":2,\"tier\":\"Gold\",\"updated_at\":\"2024-01-01T00:00:00Z\"}"),
        target,
        List.of("id"),
        "user_key",
        Optional.of("updated_at"));
    String keyOf1 = table(target).where("id = 1").head().getAs("user_key");

    ScdResult second =
        Scd1Merge.apply(
            spark,
            df(
                DDL,
                "{\"id\":1,\"tier\":\"Silver\",\"updated_at\":\"2024-02-01T00:00:00Z\"}",
                "{\"id\":1,\"tier\":\"Bronze\",\"updated_at\":\"2024-01-15T00:00:00Z\"}",
                "{\"id\":2,\"tier\":\"Trial\",\"updated_at\":\"2023-12-01T00:00:00Z\"}",
                "{\"id\":3,\"tier\":\"Gold\",\"updated_at\":\"2024-02-01T00:00:00Z\"}"),
            target,
            List.of("id"),
            "user_key",
            Optional.of("updated_at"));

    Dataset<Row> expected =
        df(
            DDL,
            "{\"id\":1,\"tier\":\"Silver\",\"updated_at\":\"2024-02-01T00:00:00Z\"}",
            "{\"id\":2,\"tier\":\"Gold\",\"updated_at\":\"2024-01-01T00:00:00Z\"}",
            "{\"id\":3,\"tier\":\"Gold\",\"updated_at\":\"2024-02-01T00:00:00Z\"}");
    assertSameRows(SurrogateKeys.withKey(expected, "user_key", "id"), table(target));
    assertThat(table(target).where("id = 1").head().<String>getAs("user_key")).isEqualTo(keyOf1);
    assertThat(second.inserted()).isEqualTo(1);
    assertThat(second.updated()).as("only id 1: the row for id 2 is older").isEqualTo(1);
  }

  @Test
  void type1RefusesTwoDifferentRowsOfAKeyWithoutAnUpdatedAt() {
    assertThatThrownBy(
            () ->
                Scd1Merge.apply(
                    spark,
                    df(
                        "id BIGINT, tier STRING",
                        "{\"id\":1,\"tier\":\"Gold\"}",
                        "{\"id\":1,\"tier\":\"Silver\"}"),
                    path("type1-clash"),
                    List.of("id"),
                    "k",
                    Optional.empty()))
        .isInstanceOf(ScdConflictException.class)
        .hasMessageContaining("different rows for one key, e.g. [1]");
  }

  @Test
  void appendOnlySkipsRowsWhoseKeyExistsAndPrunesToTheBatchsPartitions() {
    String target = path("facts");
    String ddl = "event_id STRING, day DATE, amount BIGINT";
    AppendOnlyInsert.apply(
        spark,
        df(
            ddl,
            "{\"event_id\":\"a\",\"day\":\"2024-01-01\",\"amount\":1}",
            "{\"event_id\":\"b\",\"day\":\"2024-01-02\",\"amount\":2}"),
        target,
        List.of("event_id"),
        Optional.of("day"));

    ScdResult again =
        AppendOnlyInsert.apply(
            spark,
            df(
                ddl,
                "{\"event_id\":\"b\",\"day\":\"2024-01-02\",\"amount\":2}",
                "{\"event_id\":\"c\",\"day\":\"2024-01-02\",\"amount\":3}",
                "{\"event_id\":\"c\",\"day\":\"2024-01-02\",\"amount\":3}"),
            target,
            List.of("event_id"),
            Optional.of("day"));

    assertSameRows(
        df(
            ddl,
            "{\"event_id\":\"a\",\"day\":\"2024-01-01\",\"amount\":1}",
            "{\"event_id\":\"b\",\"day\":\"2024-01-02\",\"amount\":2}",
            "{\"event_id\":\"c\",\"day\":\"2024-01-02\",\"amount\":3}"),
        table(target));
    assertThat(again.inserted()).isEqualTo(1);
    assertThat(again.unchanged()).isEqualTo(1);
    // Only the batch's partition was read: the MERGE scanned the files of day=2024-01-02 alone.
    Row merge = DeltaTable.forPath(spark, target).history(1).head();
    scala.collection.Map<String, String> metrics = merge.getAs("operationMetrics");
    assertThat(metrics.get("numTargetFilesAdded").get()).isEqualTo("1");
    assertThat(DeltaTable.forPath(spark, target).detail().head().<Long>getAs("numFiles"))
        .isEqualTo(3L);
  }

  @Test
  void appendOnlyRefusesTwoDifferentRowsWithOneKey() {
    assertThatThrownBy(
            () ->
                AppendOnlyInsert.apply(
                    spark,
                    df(
                        "event_id STRING, amount BIGINT",
                        "{\"event_id\":\"a\",\"amount\":1}",
                        "{\"event_id\":\"a\",\"amount\":2}"),
                    path("facts-clash"),
                    List.of("event_id"),
                    Optional.empty()))
        .isInstanceOf(ScdConflictException.class)
        .hasMessageContaining("different rows with one key, e.g. [a]");
  }
}
