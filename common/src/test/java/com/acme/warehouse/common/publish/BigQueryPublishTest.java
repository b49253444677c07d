package com.acme.warehouse.common.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.publish.standin.BigQueryStandIn;
import com.acme.warehouse.common.publish.standin.StandInTable;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The BigQuery sink through the real spark-bigquery connector and the suite's BigQuery client,
 * against the local stand-in of the BigQuery API (which enforces BigQuery's documented rules).
 * Every test asserts what BigQuery would hold afterwards — schema, partitioning, clustering, rows
 * per partition, jobs run — not what the sink sent.
 */
class BigQueryPublishTest extends SparkTestBase {
  private static final String PROJECT = "acme-test";
  private static final TableId FACT = TableId.parse("gold.agents.fact_agent_query");
  private static final TableId DIM = TableId.parse("gold.agents.dim_agent");
  private static final String FACT_ID = PROJECT + ".agents.fact_agent_query";
  private static final String FACT_DDL =
      "query_id STRING, agent_key STRING, created_at TIMESTAMP, latency_ms BIGINT,"
          + " cost DECIMAL(12,4)";
  private static final String[] DAYS = {"2024-01-01", "2024-01-01", "2024-01-02", "2024-01-03"};

  private static BigQueryStandIn bigQuery;
  private static BigQuerySettings settings;

  @BeforeAll
  static void startBigQuery() {
    bigQuery = BigQueryStandIn.start(spark);
    bigQuery.createDataset(PROJECT, "agents");
    settings =
        new BigQuerySettings(
            PROJECT, "indirect", "file://" + path("staging"), bigQuery.endpoint(), false);
  }

  @AfterAll
  static void stopBigQuery() {
    bigQuery.close();
  }

  @AfterEach
  void everyRequestWasOneBigQueryServes() {
    assertThat(bigQuery.takeUnsupported()).isEmpty();
    assertThat(bigQuery.tableIds()).noneMatch(id -> id.contains("__publish_"));
  }

  private static BigQueryTableSpec spec(TableId table, String hocon) {
    ConfigReader config =
        new ConfigReader(
            ConfigFactory.parseString(
                    "bigquery.dataset = agents\ngold.tables.\"" + table + "\" = " + hocon)
                .resolve());
    BigQueryTableSpec spec = BigQueryTableSpec.from(config, table);
    assertThat(config.problems()).isEmpty();
    return spec;
  }

  /** A fact table named {@code name}, partitioned by day of created_at, clustered. */
  private static BigQueryGoldSink factSink(String name) {
    return new BigQueryGoldSink(
        settings,
        spec(
            FACT,
            "{table = "
                + name
                + ", write-mode = partitions, partition-field = created_at,"
                + " partition-type = DAY, clustering = [agent_key, query_id]}"));
  }

  /** Facts q0..qN, one per latency given, on DAYS; cost = latency / 1000. */
  private static Dataset<Row> facts(String... latencies) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < latencies.length; i++) {
      rows.add(
          "{\"query_id\":\"q"
              + i
              + "\",\"agent_key\":\"a\",\"created_at\":\""
              + DAYS[i]
              + "T10:00:00.123456Z\",\"latency_ms\":"
              + latencies[i]
              + ",\"cost\":"
              + Long.parseLong(latencies[i]) / 1000.0
              + "}");
    }
    return df(FACT_DDL, rows.toArray(new String[0]));
  }

  private static StandInTable table(String id) {
    return bigQuery.table(id).orElseThrow(() -> new AssertionError("no table " + id));
  }

  /** Partition id → latencies of its rows, sorted: what BigQuery holds, compactly. */
  private static Map<String, List<Object>> latencies(String id) {
    return table(id).partitions().entrySet().stream()
        .collect(
            Collectors.toMap(
                Map.Entry::getKey,
                e ->
                    e.getValue().stream()
                        .map(row -> row.get("latency_ms"))
                        .sorted(
                            java.util.Comparator.nullsFirst(
                                java.util.Comparator.comparing(Object::toString)))
                        .collect(Collectors.toList())));
  }

  @Test
  void theFirstPublishCreatesThePartitionedClusteredTableAndLoadsEveryRow() {
    Publication publication =
        factSink("first_publish")
            .publish(FACT, facts("100", "200", "300", "400"), Optional.empty());

    StandInTable table = table(PROJECT + ".agents.first_publish");
    assertThat(table.schema())
        .extracting(Object::toString)
        .containsExactly(
            "query_id STRING",
            "agent_key STRING",
            "created_at TIMESTAMP",
            "latency_ms INT64",
            "cost NUMERIC");
    assertThat(table.partitioning()).isEqualTo("interval(type:day,field:created_at)");
    assertThat(table.clustering()).containsExactly("agent_key", "query_id");
    assertThat(latencies(table.id()))
        .containsOnly(
            entry("20240101", List.of(100L, 200L)),
            entry("20240102", List.of(300L)),
            entry("20240103", List.of(400L)));
    Map<String, Object> q2 =
        table.rows().stream().filter(r -> r.get("query_id").equals("q2")).findFirst().get();
    assertThat(q2)
        .containsEntry("created_at", Instant.parse("2024-01-02T10:00:00.123456Z"))
        .containsEntry("cost", new BigDecimal("0.3000"));
    assertThat(bigQuery.loadsInto(table.id())).isEqualTo(1);
    assertThat(publication.mode).isEqualTo(Publication.REPLACED);
    assertThat(publication.rows).isEqualTo(4);
    assertThat(publication.parity)
        .isEqualTo("3 partitions, 4 rows, sums of [latency_ms, cost] equal in BigQuery and gold");
  }

  @Test
  void aSecondPublishOfTheSameGoldSendsNothing() {
    BigQueryGoldSink sink = factSink("unchanged");
    Dataset<Row> gold = facts("100", "200", "300", "400");
    sink.publish(FACT, gold, Optional.empty());
    int jobs = bigQuery.jobs().size();
    List<Map<String, Object>> before = table(PROJECT + ".agents.unchanged").rows();

    Publication again = sink.publish(FACT, gold, Optional.of(facts("100", "200", "300", "400")));

    assertThat(again.mode).isEqualTo(Publication.UNCHANGED);
    assertThat(bigQuery.jobs()).hasSize(jobs);
    assertThat(table(PROJECT + ".agents.unchanged").rows()).isEqualTo(before);
  }

  @Test
  void oneChangedPartitionIsReplacedAloneAndAtomicallyOthersAreUntouched() {
    BigQueryGoldSink sink = factSink("one_partition");
    String id = PROJECT + ".agents.one_partition";
    Dataset<Row> before = facts("100", "200", "300", "400");
    sink.publish(FACT, before, Optional.empty());
    List<Map<String, Object>> untouched = new ArrayList<>(table(id).partitions().get("20240101"));
    untouched.addAll(table(id).partitions().get("20240103"));

    Publication publication =
        sink.publish(FACT, facts("100", "200", "350", "400"), Optional.of(before));

    assertThat(publication.mode).isEqualTo(Publication.PARTITIONS);
    assertThat(publication.partitions).containsExactly("2024-01-02");
    assertThat(publication.rows).isEqualTo(1);
    assertThat(latencies(id))
        .containsOnly(
            entry("20240101", List.of(100L, 200L)),
            entry("20240102", List.of(350L)),
            entry("20240103", List.of(400L)));
    List<Map<String, Object>> after = new ArrayList<>(table(id).partitions().get("20240101"));
    after.addAll(table(id).partitions().get("20240103"));
    assertThat(after).isEqualTo(untouched);
    // One MERGE: the old row of 2024-01-02 deleted, the new one inserted, nothing else.
    JsonNode merge = bigQuery.jobs().get(bigQuery.jobs().size() - 2);
    assertThat(merge.at("/statistics/query/statementType").asText()).isEqualTo("MERGE");
    assertThat(merge.at("/statistics/query/numDmlAffectedRows").asText()).isEqualTo("2");
    assertThat(merge.at("/status/errorResult").isMissingNode()).isTrue();
  }

  @Test
  void aVanishedPartitionAndTheNullPartitionAreReplacedToo() {
    BigQueryGoldSink sink = factSink("vanished");
    String id = PROJECT + ".agents.vanished";
    Dataset<Row> before =
        facts("100", "200", "300", "400")
            .union(
                df(
                    FACT_DDL,
                    "{\"query_id\":\"qn\",\"agent_key\":\"a\",\"created_at\":null,"
                        + "\"latency_ms\":7,\"cost\":null}"));
    sink.publish(FACT, before, Optional.empty());
    assertThat(latencies(id)).containsEntry("__NULL__", List.of(7L));

    Dataset<Row> after =
        facts("100", "200", "300") // 2024-01-03 gone
            .union(
                df(
                    FACT_DDL,
                    "{\"query_id\":\"qn\",\"agent_key\":\"a\",\"created_at\":null,"
                        + "\"latency_ms\":8,\"cost\":null}"));
    Publication publication = sink.publish(FACT, after, Optional.of(before));

    assertThat(publication.mode).isEqualTo(Publication.PARTITIONS);
    assertThat(publication.partitions).containsExactlyInAnyOrder("__NULL__", "2024-01-03");
    assertThat(latencies(id))
        .containsOnly(
            entry("__NULL__", List.of(8L)),
            entry("20240101", List.of(100L, 200L)),
            entry("20240102", List.of(300L)));
  }

  @Test
  void anAddedGoldColumnIsAddedToTheTableFirstThenLoaded() {
    BigQueryGoldSink sink = factSink("added_column");
    String id = PROJECT + ".agents.added_column";
    Dataset<Row> before = facts("100", "200", "300", "400");
    sink.publish(FACT, before, Optional.empty());

    Dataset<Row> after =
        facts("100", "200", "350", "400").withColumn("hour", functions.lit(10).cast("int"));
    Publication publication = sink.publish(FACT, after, Optional.of(before));

    assertThat(publication.addedColumns).containsExactly("hour");
    assertThat(table(id).schema())
        .extracting(Object::toString)
        .endsWith("cost NUMERIC", "hour INT64");
    // Every row gained a value, so every partition changed and was replaced.
    assertThat(publication.partitions).containsExactly("2024-01-01", "2024-01-02", "2024-01-03");
    assertThat(table(id).rows())
        .extracting(
            row -> row.get("query_id") + "=" + row.get("hour") + "/" + row.get("latency_ms"))
        .containsExactlyInAnyOrder("q0=10/100", "q1=10/200", "q2=10/350", "q3=10/400");
  }

  @Test
  void aTypeChangeIsRefusedNamingTableAndColumnAndNothingIsWritten() {
    BigQueryGoldSink sink = factSink("type_change");
    String id = PROJECT + ".agents.type_change";
    Dataset<Row> before = facts("100", "200", "300", "400");
    sink.publish(FACT, before, Optional.empty());
    List<Map<String, Object>> rows = table(id).rows();
    int jobs = bigQuery.jobs().size();
    Dataset<Row> changed =
        facts("100", "200", "350", "400").withColumn("latency_ms", functions.lit("slow"));

    assertThatThrownBy(() -> sink.publish(FACT, changed, Optional.of(before)))
        .isInstanceOf(SchemaEvolution.TypeChangeException.class)
        .hasMessageContaining(id)
        .hasMessageContaining("column 'latency_ms' is INT64 in BigQuery but STRING in gold");

    assertThat(bigQuery.jobs()).hasSize(jobs);
    assertThat(table(id).rows()).isEqualTo(rows);
    assertThat(table(id).field("latency_ms").type).isEqualTo("INT64");
  }

  @Test
  void aDimensionIsReplacedWholeByOneLoadEachTime() {
    BigQueryGoldSink sink =
        new BigQueryGoldSink(
            settings,
            spec(DIM, "{table = dim_agent, write-mode = replace, clustering = [agent_name]}"));
    String id = PROJECT + ".agents.dim_agent";
    String ddl = "agent_key STRING, agent_name STRING, sla_seconds INT";
    Dataset<Row> first =
        df(
            ddl,
            "{\"agent_key\":\"k1\",\"agent_name\":\"bot-a\",\"sla_seconds\":300}",
            "{\"agent_key\":\"k2\",\"agent_name\":\"bot-b\",\"sla_seconds\":600}");
    Dataset<Row> second =
        df(
            ddl,
            "{\"agent_key\":\"k2\",\"agent_name\":\"bot-b\",\"sla_seconds\":900}",
            "{\"agent_key\":\"k3\",\"agent_name\":\"bot-c\",\"sla_seconds\":60}");

    sink.publish(DIM, first, Optional.empty());
    Publication publication = sink.publish(DIM, second, Optional.of(first));

    assertThat(publication.mode).isEqualTo(Publication.REPLACED);
    assertThat(table(id).rows())
        .extracting(row -> row.get("agent_key") + ":" + row.get("sla_seconds"))
        .containsExactlyInAnyOrder("k2:900", "k3:60");
    assertThat(table(id).partitioning()).isEqualTo("none");
    assertThat(table(id).clustering()).containsExactly("agent_name");
    assertThat(bigQuery.loadsInto(id)).isEqualTo(2);
    assertThat(publication.parity)
        .isEqualTo("1 table, 2 rows, sums of [sla_seconds] equal in BigQuery and gold");
  }

  @Test
  void aParityMismatchFailsThePublishNamingTablePartitionFigureAndBothValues() {
    BigQueryGoldSink sink = factSink("parity");
    String id = PROJECT + ".agents.parity";
    // BigQuery loses a row of 2024-01-01 right after the load.
    bigQuery.afterNextWrite(id, rows -> rows.removeIf(row -> row.get("query_id").equals("q1")));

    assertThatThrownBy(
            () -> sink.publish(FACT, facts("100", "200", "300", "400"), Optional.empty()))
        .isInstanceOf(PublishParity.MismatchException.class)
        .hasMessage(
            "publish parity failed for acme-test.agents.parity partition 2024-01-01: row_count is"
                + " 1 in BigQuery but 2 in gold");

    // A changed measure is found as well, by its sum.
    bigQuery.afterNextWrite(id, rows -> rows.replaceAll(row -> withLatency(row, 301L)));
    assertThatThrownBy(
            () ->
                sink.publish(
                    FACT,
                    facts("100", "200", "300", "400"),
                    Optional.of(facts("100", "200", "9", "400"))))
        .isInstanceOf(PublishParity.MismatchException.class)
        .hasMessage(
            "publish parity failed for acme-test.agents.parity partition 2024-01-02:"
                + " sum(latency_ms) is 301 in BigQuery but 300 in gold");
  }

  private static Map<String, Object> withLatency(Map<String, Object> row, long latency) {
    if (!"q2".equals(row.get("query_id"))) {
      return row;
    }
    Map<String, Object> changed = new java.util.LinkedHashMap<>(row);
    changed.put("latency_ms", latency);
    return changed;
  }

  @Test
  void aTableWhosePartitioningDiffersFromTheSpecIsRefusedBeforeWriting() {
    String id = PROJECT + ".agents.repartitioned";
    new BigQueryGoldSink(
            settings,
            spec(
                FACT,
                "{table = repartitioned, write-mode = partitions, partition-field = created_at,"
                    + " partition-type = MONTH}"))
        .publish(FACT, facts("100"), Optional.empty());
    int jobs = bigQuery.jobs().size();

    assertThatThrownBy(() -> factSink("repartitioned").publish(FACT, facts("1"), Optional.empty()))
        .hasMessageContaining(id + " is partitioned by MONTH of created_at in BigQuery but by DAY")
        .hasMessageContaining("Nothing was written");
    assertThat(bigQuery.jobs()).hasSize(jobs);
  }

  @Test
  void aWholeLoadOfMoreThan4000PartitionsIsRefusedBeforeWriting() {
    Dataset<Row> manyDays =
        spark
            .range(4001)
            .selectExpr(
                "concat('q', id) AS query_id",
                "'a' AS agent_key",
                "timestamp_seconds(id * 86400) AS created_at",
                "id AS latency_ms",
                "CAST(NULL AS DECIMAL(12,4)) AS cost");
    int jobs = bigQuery.jobs().size();

    assertThatThrownBy(() -> factSink("many_days").publish(FACT, manyDays, Optional.empty()))
        .hasMessageContaining(
            "acme-test.agents.many_days: gold spans more than 4000 DAY partitions")
        .hasMessageContaining("partition-type (MONTH)");
    assertThat(bigQuery.jobs()).hasSize(jobs);
  }

  @Test
  void partitionKeysDoNotDependOnTheSessionTimeZone() {
    Dataset<Row> late =
        facts("100", "200", "300", "400")
            .withColumn(
                "created_at", functions.expr("created_at + INTERVAL 13 HOURS")); // 23:00 UTC
    PartitionKeys keys = PartitionKeys.of("created_at", "DAY", late.schema());
    PartitionKeys hours = PartitionKeys.of("created_at", "HOUR", late.schema());
    String zone = spark.conf().get("spark.sql.session.timeZone");
    List<String> utc =
        late
            .select(keys.sparkKey(), hours.sparkKey())
            .as(
                org.apache.spark.sql.Encoders.tuple(
                    org.apache.spark.sql.Encoders.STRING(), org.apache.spark.sql.Encoders.STRING()))
            .collectAsList()
            .stream()
            .map(Object::toString)
            .collect(Collectors.toList());
    try {
      spark.conf().set("spark.sql.session.timeZone", "Asia/Kolkata");
      List<String> kolkata =
          late
              .select(keys.sparkKey(), hours.sparkKey())
              .as(
                  org.apache.spark.sql.Encoders.tuple(
                      org.apache.spark.sql.Encoders.STRING(),
                      org.apache.spark.sql.Encoders.STRING()))
              .collectAsList()
              .stream()
              .map(Object::toString)
              .collect(Collectors.toList());
      assertThat(kolkata).isEqualTo(utc);
    } finally {
      spark.conf().set("spark.sql.session.timeZone", zone);
    }
    assertThat(utc).contains("(2024-01-01,2024-01-01T23)", "(2024-01-02,2024-01-02T23)");
  }
}
