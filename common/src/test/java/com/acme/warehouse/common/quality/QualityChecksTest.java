package com.acme.warehouse.common.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.PathsConfig;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.job.TableLocations;
import com.acme.warehouse.common.quality.checks.CheckContext;
import com.acme.warehouse.common.quality.checks.RelationshipsCheck;
import com.acme.warehouse.common.testing.SparkTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each check type passes on good data and fails on crafted bad data with the expected message. */
class QualityChecksTest extends SparkTestBase {
  private static final String DDL =
      "id BIGINT, status STRING, score INT, mentor STRING, at TIMESTAMP";
  private static final TableId GOOD = TableId.parse("silver.demo.good");
  private static final TableId BAD = TableId.parse("silver.demo.bad");
  private static final TableId MENTORS = TableId.parse("gold.demo.mentors");
  private static final Instant NOW = Instant.parse("2024-01-10T00:00:00Z");
  private static TableLocations tables;

  @BeforeAll
  static void tables() {
    tables = new TableLocations(new PathsConfig(path("raw"), path("warehouse")));
    df(
            DDL,
            "{\"id\":1,\"status\":\"active\",\"score\":5,\"mentor\":\"M1\",\"at\":\"2024-01-09T00:00:00Z\"}",
            "{\"id\":2,\"status\":\"churned\",\"score\":1,\"mentor\":\"M2\",\"at\":\"2024-01-08T00:00:00Z\"}",
            "{\"id\":3,\"status\":null,\"score\":null,\"mentor\":null,\"at\":\"2024-01-07T00:00:00Z\"}")
        .write()
        .format("delta")
        .save(tables.of(GOOD));
    df(
            DDL,
            "{\"id\":1,\"status\":\"active\",\"score\":5,\"mentor\":\"M1\",\"at\":\"2024-01-01T00:00:00Z\"}",
            "{\"id\":1,\"status\":\"ACTIVE \",\"score\":9,\"mentor\":\"M9\",\"at\":\"2024-01-02T00:00:00Z\"}",
            "{\"id\":null,\"status\":\"invited\",\"score\":0,\"mentor\":\"M2\",\"at\":\"2024-01-03T00:00:00Z\"}")
        .write()
        .format("delta")
        .save(tables.of(BAD));
    df("mentor STRING", "{\"mentor\":\"M1\"}", "{\"mentor\":\"M2\"}")
        .write()
        .format("delta")
        .save(tables.of(MENTORS));
  }

  private static CheckResult run(TableId table, CheckSpec check) {
    return run(table, check, new CheckContext.Counters(0, 0, 0, 0));
  }

  private static CheckResult run(TableId table, CheckSpec check, CheckContext.Counters counters) {
    List<CheckResult> results =
        new QualityRunner(spark, tables, 2, NOW).run(table, List.of(check), counters);
    assertThat(results).hasSize(1);
    return results.get(0);
  }

  private static CheckSpec.Builder check(CheckSpec.Type type) {
    return new CheckSpec.Builder().type(type);
  }

  @Test
  void notNull() {
    CheckSpec spec = check(CheckSpec.Type.NOT_NULL).columns("id").build();
    assertThat(run(GOOD, spec).status()).isEqualTo("passed");
    CheckResult bad = run(BAD, spec);
    assertThat(bad.status()).isEqualTo("failed");
    assertThat(bad.offending()).isEqualTo(1);
    assertThat(bad.detail()).isEqualTo("1 of 3 rows have a null in [id]");
    assertThat(bad.sample()).singleElement().asString().contains("\"status\":\"invited\"");
  }

  @Test
  void uniqueOverOneOrSeveralColumns() {
    assertThat(run(GOOD, check(CheckSpec.Type.UNIQUE).columns("id").build()).status())
        .isEqualTo("passed");
    CheckResult bad = run(BAD, check(CheckSpec.Type.UNIQUE).columns("id").build());
    assertThat(bad.detail()).isEqualTo("1 values of [id] appear more than once (2 rows)");
    assertThat(bad.sample()).containsExactly("{\"id\":1,\"count\":2}");
    assertThat(run(BAD, check(CheckSpec.Type.UNIQUE).columns("id", "status").build()).status())
        .isEqualTo("passed");
  }

  @Test
  void uniqueOnAnEmptyTablePasses() {
    TableId empty = TableId.parse("silver.demo.empty");
    df(DDL).write().format("delta").save(tables.of(empty));
    CheckResult result = run(empty, check(CheckSpec.Type.UNIQUE).columns("id").build());
    assertThat(result.status()).isEqualTo("passed");
    assertThat(result.detail()).isEqualTo("every value of [id] appears once");
  }

  @Test
  void acceptedValues() {
    CheckSpec spec =
        check(CheckSpec.Type.ACCEPTED_VALUES)
            .columns("status")
            .values("active", "churned", "invited")
            .build();
    assertThat(run(GOOD, spec).status())
        .as("null is not checked by accepted_values")
        .isEqualTo("passed");
    CheckResult bad = run(BAD, spec);
    assertThat(bad.detail())
        .isEqualTo("1 of 3 rows have a status outside [active, churned, invited]");
    assertThat(bad.sample()).singleElement().asString().contains("\"status\":\"ACTIVE \"");
  }

  @Test
  void relationships() {
    CheckSpec spec =
        check(CheckSpec.Type.RELATIONSHIPS)
            .columns("mentor")
            .to("gold.demo.mentors", "mentor")
            .build();
    assertThat(run(GOOD, spec).status()).isEqualTo("passed");
    CheckResult bad = run(BAD, spec);
    assertThat(bad.detail()).isEqualTo("1 rows whose mentor is not in gold.demo.mentors.mentor");
    assertThat(bad.sample()).singleElement().asString().contains("\"mentor\":\"M9\"");

    // A parent too big to broadcast: its own anti-join, the same answer.
    CheckContext context =
        new CheckContext(spark, tables, BAD, new CheckContext.Counters(0, 0, 0, 0), NOW, 2);
    RelationshipsCheck bigParent = new RelationshipsCheck(spec, 1);
    assertThat(bigParent.prepare(context, context.data()).columns())
        .containsExactly(context.data().columns());
    assertThat(bigParent.inSharedPass()).isFalse();
    CheckResult alone = bigParent.runAlone(context);
    assertThat(alone.status()).isEqualTo("failed");
    assertThat(alone.offending()).isEqualTo(1);
    assertThat(alone.detail()).isEqualTo(bad.detail());
    assertThat(alone.sample()).singleElement().asString().contains("\"mentor\":\"M9\"");
  }

  @Test
  void range() {
    CheckSpec spec = check(CheckSpec.Type.RANGE).columns("score").min(1).max(5).build();
    assertThat(run(GOOD, spec).status()).isEqualTo("passed");
    CheckResult bad = run(BAD, spec);
    assertThat(bad.offending()).isEqualTo(2);
    assertThat(bad.detail()).isEqualTo("2 of 3 rows have a score outside [1, 5]");
    assertThat(bad.sample()).hasSize(2);
  }

  @Test
  void rowCountBounds() {
    assertThat(run(GOOD, check(CheckSpec.Type.ROW_COUNT).min(1).max(10).build()).status())
        .isEqualTo("passed");
    CheckResult bad = run(GOOD, check(CheckSpec.Type.ROW_COUNT).min(5).build());
    assertThat(bad.status()).isEqualTo("failed");
    assertThat(bad.detail()).isEqualTo("3 rows, expected [5, +inf]");
    assertThat(bad.value()).isEqualTo(3.0);
  }

  @Test
  void freshness() {
    assertThat(
            run(
                    GOOD,
                    check(CheckSpec.Type.FRESHNESS)
                        .columns("at")
                        .maxAge(Duration.ofDays(2))
                        .build())
                .status())
        .isEqualTo("passed");
    CheckResult stale =
        run(BAD, check(CheckSpec.Type.FRESHNESS).columns("at").maxAge(Duration.ofDays(2)).build());
    assertThat(stale.status()).isEqualTo("failed");
    assertThat(stale.detail())
        .isEqualTo("newest at 2024-01-03T00:00:00Z is 7 days old, at most 2 days");
  }

  @Test
  void scdInvariants() {
    TableId history = TableId.parse("silver.demo.history");
    df(
            "id BIGINT, valid_from TIMESTAMP, valid_to TIMESTAMP, is_current BOOLEAN",
            "{\"id\":1,\"valid_from\":\"2024-01-01T00:00:00Z\",\"valid_to\":\"2024-02-01T00:00:00Z\",\"is_current\":false}",
            "{\"id\":1,\"valid_from\":\"2024-01-15T00:00:00Z\",\"is_current\":true}",
            "{\"id\":2,\"valid_from\":\"2024-01-01T00:00:00Z\",\"is_current\":true}")
        .write()
        .format("delta")
        .save(tables.of(history));

    CheckResult result = run(history, check(CheckSpec.Type.SCD).columns("id").build());

    assertThat(result.status()).isEqualTo("failed");
    assertThat(result.detail()).isEqualTo("1 versions break the SCD2 invariants");
    assertThat(result.sample()).singleElement().asString().contains("\"rule\":\"overlap\"");
  }

  @Test
  void reconciliationBetweenTablesAndOfTheRunsCounters() {
    CheckSpec tablesAddUp = check(CheckSpec.Type.RECONCILIATION).out("silver.demo.bad").build();
    assertThat(run(GOOD, tablesAddUp).status()).isEqualTo("passed");
    CheckResult off =
        run(
            GOOD,
            check(CheckSpec.Type.RECONCILIATION)
                .out("silver.demo.bad", "gold.demo.mentors")
                .build());
    assertThat(off.detail())
        .isEqualTo("silver.demo.good 3 = silver.demo.bad 3 + gold.demo.mentors 2 is off by -2");

    CheckSpec counters = check(CheckSpec.Type.RECONCILIATION).build();
    assertThat(run(GOOD, counters, new CheckContext.Counters(10, 7, 2, 1)).status())
        .isEqualTo("passed");
    CheckResult lost = run(GOOD, counters, new CheckContext.Counters(10, 7, 2, 0));
    assertThat(lost.status()).isEqualTo("failed");
    assertThat(lost.detail())
        .isEqualTo("read 10 = written 7 + quarantined 2 + deduplicated 0 is off by 1");
  }

  @Test
  void customSql() {
    CheckSpec spec =
        check(CheckSpec.Type.SQL)
            .name("score_without_status")
            .query("SELECT * FROM {table} WHERE score IS NOT NULL AND status IS NULL")
            .build();
    assertThat(run(GOOD, spec).status()).isEqualTo("passed");
    CheckSpec bad =
        check(CheckSpec.Type.SQL)
            .name("zero_score")
            .query("SELECT id FROM {table} WHERE score = 0")
            .build();
    CheckResult result = run(BAD, bad);
    assertThat(result.check()).isEqualTo("zero_score");
    assertThat(result.detail()).isEqualTo("1 rows returned by the check's query");
    assertThat(result.sample()).containsExactly("{}");
  }

  @Test
  void aWhereLimitsTheRowsChecked() {
    CheckSpec spec =
        check(CheckSpec.Type.NOT_NULL).columns("id").where("status = 'active'").build();
    CheckResult result = run(BAD, spec);
    assertThat(result.status()).isEqualTo("passed");
    assertThat(result.checked()).isEqualTo(1);
  }

  @Test
  void samplesAreBoundedBySampleSize() {
    CheckSpec spec = check(CheckSpec.Type.RANGE).columns("id").min(100).build();
    CheckResult result = run(GOOD, spec);
    assertThat(result.offending()).isEqualTo(3);
    assertThat(result.sample()).hasSize(2);
  }
}
