package com.acme.warehouse.common.scd;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.warehouse.common.keys.SurrogateKeys;
import com.acme.warehouse.common.testing.SparkTestBase;
import io.delta.tables.DeltaTable;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The SCD2 semantics, one behaviour per test; the invariants are checked after every merge. */
class Scd2MergeTest extends SparkTestBase {
  private static final String DDL = "id BIGINT, name STRING, tier STRING, updated_at TIMESTAMP";
  private static final String HISTORY =
      "id BIGINT, name STRING, tier STRING, valid_from TIMESTAMP, valid_to TIMESTAMP,"
          + " is_current BOOLEAN, is_deleted BOOLEAN";
  private static final ScdSpec BY_TIMESTAMP = ScdSpec.builder("id").timestamp("updated_at").build();
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  private String target;

  @BeforeEach
  void target(TestInfo test) {
    target = path("scd-" + test.getTestMethod().orElseThrow().getName());
  }

  private ScdResult merge(ScdSpec spec, String... rows) {
    ScdResult result = Scd2Merge.apply(spark, df(DDL, rows), target, spec);
    assertThat(
            ScdInvariants.violations(table(), List.of("id"), ScdColumns.defaults(), false)
                .collectAsList())
        .as("invariants after the merge")
        .isEmpty();
    return result;
  }

  private Dataset<Row> table() {
    return spark.read().format("delta").load(target);
  }

  private void assertHistory(String... rows) {
    assertSameRows(
        df(HISTORY, rows),
        table().select("id", "name", "tier", "valid_from", "valid_to", "is_current", "is_deleted"));
  }

  private long version() {
    return DeltaTable.forPath(spark, target).history(1).head().getLong(0);
  }

  private static String row(long id, String name, String tier, String updatedAt) {
    return "{\"id\":"
        + id
        + ",\"name\":"
        + (name == null ? "null" : "\"" + name + "\"")
        + ",\"tier\":"
        + (tier == null ? "null" : "\"" + tier + "\"")
        + ",\"updated_at\":\""
        + updatedAt
        + "\"}";
  }

  private static String version(
      long id, String name, String tier, String from, String to, boolean current, boolean deleted) {
    return "{\"id\":"
        + id
        + ",\"name\":"
        + (name == null ? "null" : "\"" + name + "\"")
        + ",\"tier\":"
        + (tier == null ? "null" : "\"" + tier + "\"")
        + ",\"valid_from\":\""
        + from
        + "\",\"valid_to\":"
        + (to == null ? "null" : "\"" + to + "\"")
        + ",\"is_current\":"
        + current
        + ",\"is_deleted\":"
        + deleted
        + "}";
  }

  // 1. first load

  @Test
  void aFirstLoadMakesOneCurrentVersionPerKeyFromItsUpdatedAt() {
    merge(
        BY_TIMESTAMP,
        row(1, "Ann", "Gold", "2024-01-05T10:00:00Z"),
        row(2, "Bob", "Silver", "2024-01-06T00:00:00Z"));

    assertHistory(
        version(1, "Ann", "Gold", "2024-01-05T10:00:00Z", null, true, false),
        version(2, "Bob", "Silver", "2024-01-06T00:00:00Z", null, true, false));
    Dataset<Row> keys = table().select("id", "valid_from", "version_key");
    assertSameRows(
        keys.select("id", "valid_from")
            .withColumn("version_key", SurrogateKeys.key(keys, "id", "valid_from")),
        keys);
  }

  @Test
  void theCheckStrategyTakesTheBatchsEffectiveTimeNeverTheClock() {
    ScdSpec spec = ScdSpec.builder("id").check("tier").effectiveTime(T0).build();

    merge(spec, row(1, "Ann", "Gold", "2023-06-01T00:00:00Z"));

    assertHistory(version(1, "Ann", "Gold", "2024-01-01T00:00:00Z", null, true, false));
  }

  // 2. changes and non-changes

  @Test
  void aChangedRowClosesTheCurrentVersionAndAnUnchangedRowChangesNothing() {
    merge(
        BY_TIMESTAMP,
        row(1, "Ann", "Gold", "2024-01-05T00:00:00Z"),
        row(2, "Bob", "Silver", "2024-01-05T00:00:00Z"));
    ScdResult changed =
        merge(
            BY_TIMESTAMP,
            row(1, "Ann", "Silver", "2024-02-01T00:00:00Z"),
            row(2, "Bob", "Silver", "2024-01-05T00:00:00Z"));

    assertHistory(
        version(1, "Ann", "Gold", "2024-01-05T00:00:00Z", "2024-02-01T00:00:00Z", false, false),
        version(1, "Ann", "Silver", "2024-02-01T00:00:00Z", null, true, false),
        version(2, "Bob", "Silver", "2024-01-05T00:00:00Z", null, true, false));
    assertThat(changed.inserted()).isEqualTo(1);
    assertThat(changed.updated()).isEqualTo(1);

    long before = version();
    ScdResult unchanged = merge(BY_TIMESTAMP, row(2, "Bob", "Silver", "2024-01-05T00:00:00Z"));
    assertThat(version()).as("no commit").isEqualTo(before);
    assertThat(unchanged.inserted() + unchanged.updated()).isZero();
  }

  @Test
  void theCheckStrategyIgnoresAnUnchangedRowWhateverItsTime() {
    ScdSpec spec = ScdSpec.builder("id").check("tier").updatedAt("updated_at").build();
    merge(spec, row(1, "Ann", "Gold", "2024-01-05T00:00:00Z"));
    long before = version();

    merge(spec, row(1, "Annie", "Gold", "2024-03-01T00:00:00Z"));

    assertThat(version()).isEqualTo(before);
    assertHistory(version(1, "Ann", "Gold", "2024-01-05T00:00:00Z", null, true, false));
  }

  // 3. NULL-safe change detection

  @Test
  void nullToValueAndValueToNullAreChangesAndAToBToAMakesThreeVersions() {
    ScdSpec spec = ScdSpec.builder("id").check().updatedAt("updated_at").build();
    merge(
        spec,
        row(1, "Ann", null, "2024-01-01T00:00:00Z"),
        row(2, "Bob", "A", "2024-01-01T00:00:00Z"));
    merge(
        spec,
        row(1, "Ann", "Gold", "2024-02-01T00:00:00Z"),
        row(2, "Bob", "B", "2024-02-01T00:00:00Z"));
    merge(
        spec,
        row(1, "Ann", null, "2024-03-01T00:00:00Z"),
        row(2, "Bob", "A", "2024-03-01T00:00:00Z"));

    assertHistory(
        version(1, "Ann", null, "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", false, false),
        version(1, "Ann", "Gold", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", false, false),
        version(1, "Ann", null, "2024-03-01T00:00:00Z", null, true, false),
        version(2, "Bob", "A", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", false, false),
        version(2, "Bob", "B", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", false, false),
        version(2, "Bob", "A", "2024-03-01T00:00:00Z", null, true, false));
  }

  // 4. several rows per key in one batch

  @Test
  void severalRowsOfAKeyInOneBatchBecomeOrderedVersionsInOneMerge() {
    merge(BY_TIMESTAMP, row(1, "Ann", "Bronze", "2024-01-01T00:00:00Z"));
    long before = version();

    merge(
        BY_TIMESTAMP,
        row(1, "Ann", "Gold", "2024-03-01T00:00:00Z"),
        row(1, "Ann", "Silver", "2024-02-01T00:00:00Z"),
        row(1, "Ann", "Silver", "2024-02-01T00:00:00Z"));

    assertHistory(
        version(1, "Ann", "Bronze", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", false, false),
        version(1, "Ann", "Silver", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", false, false),
        version(1, "Ann", "Gold", "2024-03-01T00:00:00Z", null, true, false));
    assertThat(version()).as("one MERGE commit").isEqualTo(before + 1);
    assertThat(DeltaTable.forPath(spark, target).history(1).head().<String>getAs("operation"))
        .isEqualTo("MERGE");
  }

  @Test
  void twoDifferentRowsOfAKeyWithTheSameTimeAreRefused() {
    assertThatThrownBy(
            () ->
                merge(
                    BY_TIMESTAMP,
                    row(7, "Ann", "Gold", "2024-01-01T00:00:00Z"),
                    row(7, "Ann", "Silver", "2024-01-01T00:00:00Z"),
                    row(8, "Bob", "Gold", "2024-01-01T00:00:00Z")))
        .isInstanceOf(ScdConflictException.class)
        .hasMessageContaining(
            target + ": different rows for one key with the same effective time (1)")
        .hasMessageContaining("[7,2024-01-01");
  }

  @Test
  void aRowThatRewritesAnExistingVersionIsRefused() {
    merge(BY_TIMESTAMP, row(1, "Ann", "Gold", "2024-01-01T00:00:00Z"));

    assertThatThrownBy(() -> merge(BY_TIMESTAMP, row(1, "Ann", "Silver", "2024-01-01T00:00:00Z")))
        .isInstanceOf(ScdConflictException.class)
        .hasMessageContaining(
            "rows that differ from an existing version with the same effective time");
  }

  @Test
  void rowsWithoutAKeyOrAnEffectiveTimeAreRefused() {
    assertThatThrownBy(
            () -> merge(BY_TIMESTAMP, "{\"name\":\"x\",\"updated_at\":\"2024-01-01T00:00:00Z\"}"))
        .hasMessageContaining("rows without a business key (1)");
    assertThatThrownBy(() -> merge(BY_TIMESTAMP, "{\"id\":3,\"name\":\"x\"}"))
        .hasMessageContaining("rows without an effective time (1), e.g. [3]");
  }

  // 5. late rows

  @Test
  void aLateRowIsPlacedInTheHistoryWhereItBelongsNotMadeCurrent() {
    merge(BY_TIMESTAMP, row(1, "Ann", "Bronze", "2024-01-01T00:00:00Z"));
    merge(BY_TIMESTAMP, row(1, "Ann", "Gold", "2024-03-01T00:00:00Z"));

    merge(BY_TIMESTAMP, row(1, "Ann", "Silver", "2024-02-01T00:00:00Z"));
    merge(BY_TIMESTAMP, row(1, "Ann", "Trial", "2023-12-01T00:00:00Z"));

    assertHistory(
        version(1, "Ann", "Trial", "2023-12-01T00:00:00Z", "2024-01-01T00:00:00Z", false, false),
        version(1, "Ann", "Bronze", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", false, false),
        version(1, "Ann", "Silver", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", false, false),
        version(1, "Ann", "Gold", "2024-03-01T00:00:00Z", null, true, false));
  }

  // 6. hard deletes

  private ScdSpec extract(ScdSpec.HardDeletes policy, String at) {
    return ScdSpec.builder("id")
        .check("tier")
        .updatedAt("updated_at")
        .fullExtract(true)
        .hardDeletes(policy)
        .effectiveTime(Instant.parse(at))
        .build();
  }

  @Test
  void ignoreLeavesAMissingKeyCurrent() {
    merge(
        extract(ScdSpec.HardDeletes.IGNORE, "2024-01-01T00:00:00Z"),
        row(1, "Ann", "Gold", "2024-01-01T00:00:00Z"),
        row(2, "Bob", "Gold", "2024-01-01T00:00:00Z"));
    merge(
        extract(ScdSpec.HardDeletes.IGNORE, "2024-02-01T00:00:00Z"),
        row(1, "Ann", "Gold", "2024-01-01T00:00:00Z"));

    assertHistory(
        version(1, "Ann", "Gold", "2024-01-01T00:00:00Z", null, true, false),
        version(2, "Bob", "Gold", "2024-01-01T00:00:00Z", null, true, false));
  }

  @Test
  void invalidateClosesTheVersionAndARevivedKeyStartsANewOne() {
    ScdResult deleted = null;
    Scd2Merge.apply(
        spark,
        df(
            DDL,
            row(1, "Ann", "Gold", "2024-01-01T00:00:00Z"),
            row(2, "Bob", "Gold", "2024-01-01T00:00:00Z")),
        target,
        extract(ScdSpec.HardDeletes.INVALIDATE, "2024-01-01T00:00:00Z"));
    for (int run = 0; run < 2; run++) {
      deleted =
          Scd2Merge.apply(
              spark,
              df(DDL, row(1, "Ann", "Gold", "2024-01-01T00:00:00Z")),
              target,
              extract(ScdSpec.HardDeletes.INVALIDATE, "2024-02-01T00:00:00Z"));
    }
    assertThat(deleted.deletes()).as("re-running the delete changes nothing").isZero();
    assertHistory(
        version(1, "Ann", "Gold", "2024-01-01T00:00:00Z", null, true, false),
        version(2, "Bob", "Gold", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", false, false));

    Scd2Merge.apply(
        spark,
        df(
            DDL,
            row(1, "Ann", "Gold", "2024-01-01T00:00:00Z"),
            row(2, "Bob", "Silver", "2024-03-01T00:00:00Z")),
        target,
        extract(ScdSpec.HardDeletes.INVALIDATE, "2024-03-01T00:00:00Z"));

    assertHistory(
        version(1, "Ann", "Gold", "2024-01-01T00:00:00Z", null, true, false),
        version(2, "Bob", "Gold", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", false, false),
        version(2, "Bob", "Silver", "2024-03-01T00:00:00Z", null, true, false));
    assertThat(
            ScdInvariants.violations(table(), List.of("id"), ScdColumns.defaults(), true)
                .collectAsList())
        .isEmpty();
    assertThat(
            ScdInvariants.violations(table(), List.of("id"), ScdColumns.defaults(), false)
                .collectAsList())
        .extracting(r -> r.getString(1))
        .containsExactly(ScdInvariants.GAP);
  }

  @Test
  void newRecordAddsADeletedVersionAndARevivedKeyStartsANewOne() {
    merge(
        extract(ScdSpec.HardDeletes.NEW_RECORD, "2024-01-01T00:00:00Z"),
        row(1, "Ann", "Gold", "2024-01-01T00:00:00Z"),
        row(2, "Bob", "Gold", "2024-01-01T00:00:00Z"));
    ScdResult first =
        merge(
            extract(ScdSpec.HardDeletes.NEW_RECORD, "2024-02-01T00:00:00Z"),
            row(1, "Ann", "Gold", "2024-01-01T00:00:00Z"));
    long before = version();
    ScdResult again =
        merge(
            extract(ScdSpec.HardDeletes.NEW_RECORD, "2024-02-01T00:00:00Z"),
            row(1, "Ann", "Gold", "2024-01-01T00:00:00Z"));

    assertThat(first.deletes()).isEqualTo(1);
    assertThat(again.deletes()).isZero();
    assertThat(version()).isEqualTo(before);
    assertHistory(
        version(1, "Ann", "Gold", "2024-01-01T00:00:00Z", null, true, false),
        version(2, "Bob", "Gold", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", false, false),
        version(2, "Bob", "Gold", "2024-02-01T00:00:00Z", null, true, true));

    merge(
        extract(ScdSpec.HardDeletes.NEW_RECORD, "2024-03-01T00:00:00Z"),
        row(1, "Ann", "Gold", "2024-01-01T00:00:00Z"),
        row(2, "Bob", "Gold", "2024-03-01T00:00:00Z"));

    assertHistory(
        version(1, "Ann", "Gold", "2024-01-01T00:00:00Z", null, true, false),
        version(2, "Bob", "Gold", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", false, false),
        version(2, "Bob", "Gold", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z", false, true),
        version(2, "Bob", "Gold", "2024-03-01T00:00:00Z", null, true, false));
  }

  @Test
  void aDeleteFeedAddsDeletedVersionsThatKeepTheLastValuesAndDeletingTwiceAddsNothing() {
    ScdSpec spec =
        ScdSpec.builder("id").check().updatedAt("updated_at").deleteMarker("deleted").build();
    String ddl = DDL + ", deleted BOOLEAN";
    Scd2Merge.apply(
        spark,
        df(
            ddl,
            "{\"id\":1,\"name\":\"Ann\",\"tier\":\"Gold\",\"updated_at\":\"2024-01-01T00:00:00Z\"}",
            "{\"id\":2,\"name\":\"Bob\",\"tier\":\"Gold\",\"updated_at\":\"2024-01-01T00:00:00Z\"}",
            "{\"id\":2,\"name\":\"Bob\",\"tier\":\"Silver\",\"updated_at\":\"2024-01-10T00:00:00Z\"}",
            "{\"id\":2,\"updated_at\":\"2024-01-20T00:00:00Z\",\"deleted\":true}"),
        target,
        spec);
    // A delete feed carries keys only: the deleted version keeps the values it closes.
    Scd2Merge.apply(
        spark,
        df(ddl, "{\"id\":1,\"updated_at\":\"2024-02-01T00:00:00Z\",\"deleted\":true}"),
        target,
        spec);
    long before = version();

    Scd2Merge.apply(
        spark,
        df(
            ddl,
            "{\"id\":1,\"updated_at\":\"2024-02-01T00:00:00Z\",\"deleted\":true}",
            "{\"id\":2,\"updated_at\":\"2024-03-01T00:00:00Z\",\"deleted\":true}"),
        target,
        spec);

    assertThat(version()).as("re-running and repeating deletes commit nothing").isEqualTo(before);
    assertHistory(
        version(1, "Ann", "Gold", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", false, false),
        version(1, "Ann", "Gold", "2024-02-01T00:00:00Z", null, true, true),
        version(2, "Bob", "Gold", "2024-01-01T00:00:00Z", "2024-01-10T00:00:00Z", false, false),
        version(2, "Bob", "Silver", "2024-01-10T00:00:00Z", "2024-01-20T00:00:00Z", false, false),
        version(2, "Bob", "Silver", "2024-01-20T00:00:00Z", null, true, true));
    assertThat(table().columns()).doesNotContain("deleted");
  }

  @Test
  void withTheCheckStrategyALateRowGivesTheHistoryOfAnInOrderArrival() {
    ScdSpec spec = ScdSpec.builder("id").check("tier").updatedAt("updated_at").build();
    merge(spec, row(1, "Ann", "Gold", "2024-01-01T00:00:00Z"));
    merge(spec, row(1, "Ann", "Silver", "2024-03-01T00:00:00Z"));

    // Arrives late: the tier was already Silver in February, so March changed nothing.
    ScdResult late = merge(spec, row(1, "Ann", "Silver", "2024-02-01T00:00:00Z"));

    assertHistory(
        version(1, "Ann", "Gold", "2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z", false, false),
        version(1, "Ann", "Silver", "2024-02-01T00:00:00Z", null, true, false));
    assertThat(late.inserted()).isEqualTo(1);
  }

  // 7. idempotence

  @Test
  void applyingTheSameBatchTwiceGivesTheSameTableBitForBit() {
    String[] batch = {
      row(1, "Ann", "Gold", "2024-01-01T00:00:00Z"),
      row(1, "Ann", "Silver", "2024-02-01T00:00:00Z"),
      row(2, null, "Gold", "2024-01-03T00:00:00Z")
    };
    merge(BY_TIMESTAMP, row(1, "Ann", "Bronze", "2023-12-01T00:00:00Z"));
    merge(BY_TIMESTAMP, batch);
    List<Row> once = table().orderBy("id", "valid_from").collectAsList();
    long before = version();

    merge(BY_TIMESTAMP, batch);

    assertThat(version()).isEqualTo(before);
    assertThat(table().orderBy("id", "valid_from").collectAsList()).isEqualTo(once);
    assertSameRows(spark.createDataFrame(once, table().schema()), table());
  }

  // metadata column names

  @Test
  void theMetadataColumnsCanBeRenamed() {
    ScdColumns names = new ScdColumns("start_at", "end_at", "current", "deleted", "sk");
    ScdSpec spec = ScdSpec.builder("id").timestamp("updated_at").columns(names).build();

    Scd2Merge.apply(spark, df(DDL, row(1, "Ann", "Gold", "2024-01-01T00:00:00Z")), target, spec);

    assertThat(table().columns())
        .containsExactly(
            "id", "name", "tier", "updated_at", "start_at", "end_at", "current", "deleted", "sk");
    assertThat(table().where(col("current")).count()).isEqualTo(1);
  }
}
