package com.acme.warehouse.common.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * What the BigQuery sink sends to the connector, checked exactly: format, options (table id,
 * partitioning, clustering, write method, overwrite mode) and save mode, for a fact and a
 * dimension; which rows go; and that a type change fails before anything is written.
 */
class BigQueryGoldSinkTest extends SparkTestBase {
  private static final TableId FACT = TableId.parse("gold.agents.fact_agent_query");
  private static final TableId DIM = TableId.parse("gold.agents.dim_agent");
  private static final String FACT_DDL =
      "query_id STRING, agent_key STRING, created_at TIMESTAMP, latency_ms BIGINT";

  /** Records what would have gone to BigQuery. */
  private static final class Recording implements BigQueryGoldSink.Connector {
    final Optional<StructType> existing;
    final List<BigQueryWrite> writes = new ArrayList<>();
    final List<List<Row>> rows = new ArrayList<>();

    Recording(Optional<StructType> existing) {
      this.existing = existing;
    }

    @Override
    public Optional<StructType> existingSchema(String table) {
      return existing;
    }

    @Override
    public void write(Dataset<Row> data, BigQueryWrite write) {
      writes.add(write);
      rows.add(data.orderBy("query_id").collectAsList());
    }
  }

  private static BigQueryTableSpec spec(TableId table, String hocon) {
    ConfigReader config =
        new ConfigReader(
            ConfigFactory.parseString(
                    "bigquery.dataset = warehouse\ngold.tables.\"" + table + "\" = " + hocon)
                .resolve());
    BigQueryTableSpec spec = BigQueryTableSpec.from(config, table);
    assertThat(config.problems()).isEmpty();
    return spec;
  }

  private static BigQueryTableSpec factSpec() {
    return spec(
        FACT,
        "{dataset = agents, table = fact_agent_query, write-mode = partitions,"
            + " partition-field = created_at, partition-type = DAY,"
            + " clustering = [agent_key, query_id]}");
  }

  private static final BigQuerySettings INDIRECT =
      new BigQuerySettings("acme-prod", "indirect", "acme-staging");

  private static Dataset<Row> facts(String... latencies) {
    List<String> rows = new ArrayList<>();
    String[] days = {"2024-01-01", "2024-01-01", "2024-01-02", "2024-01-03"};
    for (int i = 0; i < latencies.length; i++) {
      rows.add(
          "{\"query_id\":\"q"
              + i
              + "\",\"agent_key\":\"a\",\"created_at\":\""
              + days[i]
              + "T10:00:00Z\",\"latency_ms\":"
              + latencies[i]
              + "}");
    }
    return df(FACT_DDL, rows.toArray(new String[0]));
  }

  @Test
  void aFactSendsOnlyItsChangedPartitionsWithDynamicPartitionOverwrite() {
    Recording bigQuery = new Recording(Optional.empty());
    BigQueryGoldSink sink = new BigQueryGoldSink(INDIRECT, factSpec(), bigQuery);
    Dataset<Row> before = facts("100", "200", "300", "400");
    Dataset<Row> after = facts("100", "200", "350", "400"); // 2024-01-02 changed

    Publication publication = sink.publish(FACT, after, Optional.of(before));

    assertThat(bigQuery.writes).hasSize(1);
    BigQueryWrite write = bigQuery.writes.get(0);
    assertThat(write.format()).isEqualTo("bigquery");
    assertThat(write.mode()).isEqualTo(SaveMode.Overwrite);
    assertThat(write.options())
        .containsExactly(
            entry("allowFieldAddition", "true"),
            entry("clusteredFields", "agent_key,query_id"),
            entry("createDisposition", "CREATE_IF_NEEDED"),
            entry("intermediateFormat", "parquet"),
            entry("partitionField", "created_at"),
            entry("partitionType", "DAY"),
            entry("spark.sql.sources.partitionOverwriteMode", "DYNAMIC"),
            entry("table", "acme-prod.agents.fact_agent_query"),
            entry("temporaryGcsBucket", "acme-staging"),
            entry("writeMethod", "indirect"));
    assertThat(bigQuery.rows.get(0)).extracting(row -> row.getString(0)).containsExactly("q2");
    assertThat(publication.mode).isEqualTo(Publication.PARTITIONS);
    assertThat(publication.partitions).containsExactly("2024-01-02");
    assertThat(publication.rows).isEqualTo(1);
  }

  @Test
  void publishingTheSameGoldAgainSendsNothing() {
    Recording bigQuery = new Recording(Optional.empty());
    BigQueryGoldSink sink = new BigQueryGoldSink(INDIRECT, factSpec(), bigQuery);
    Dataset<Row> gold = facts("100", "200", "300", "400");

    Publication publication =
        sink.publish(FACT, gold, Optional.of(facts("100", "200", "300", "400")));

    assertThat(bigQuery.writes).isEmpty();
    assertThat(publication.mode).isEqualTo(Publication.UNCHANGED);
  }

  @Test
  void theFirstPublishAndAVanishedPartitionReplaceTheWholeTable() {
    Recording first = new Recording(Optional.empty());
    new BigQueryGoldSink(INDIRECT, factSpec(), first)
        .publish(FACT, facts("100", "200", "300"), Optional.empty());
    assertThat(first.writes.get(0).options())
        .containsEntry("spark.sql.sources.partitionOverwriteMode", "STATIC");
    assertThat(first.rows.get(0)).hasSize(3);

    Recording vanished = new Recording(Optional.empty());
    Publication publication =
        new BigQueryGoldSink(INDIRECT, factSpec(), vanished)
            .publish(FACT, facts("100", "200"), Optional.of(facts("100", "200", "300")));
    assertThat(publication.mode).isEqualTo(Publication.REPLACED);
    assertThat(vanished.writes.get(0).options())
        .containsEntry("spark.sql.sources.partitionOverwriteMode", "STATIC");
    assertThat(vanished.rows.get(0)).hasSize(2);
  }

  @Test
  void aDimensionIsReplacedWholeInOneLoadWhateverTheClusterDefault() {
    Recording bigQuery = new Recording(Optional.empty());
    BigQueryTableSpec spec =
        spec(DIM, "{table = dim_agent, write-mode = replace, clustering = [agent_name]}");
    Dataset<Row> dim =
        df(
            "query_id STRING, agent_name STRING",
            "{\"query_id\":\"k1\",\"agent_name\":\"bot-a\"}",
            "{\"query_id\":\"k2\",\"agent_name\":\"bot-b\"}");

    Publication publication =
        new BigQueryGoldSink(new BigQuerySettings("acme-prod", "direct", ""), spec, bigQuery)
            .publish(DIM, dim, Optional.of(dim));

    BigQueryWrite write = bigQuery.writes.get(0);
    assertThat(write.mode()).isEqualTo(SaveMode.Overwrite);
    // The suite's Spark conf sets dynamic overwrite; a replace must say STATIC itself.
    assertThat(write.options())
        .containsExactly(
            entry("allowFieldAddition", "true"),
            entry("clusteredFields", "agent_name"),
            entry("createDisposition", "CREATE_IF_NEEDED"),
            entry("spark.sql.sources.partitionOverwriteMode", "STATIC"),
            entry("table", "acme-prod.warehouse.dim_agent"),
            entry("writeMethod", "direct"));
    assertThat(bigQuery.rows.get(0)).hasSize(2);
    assertThat(publication.mode).isEqualTo(Publication.REPLACED);
  }

  @Test
  void aTypeChangeFailsBeforeWritingAndNamesTheTableAndColumn() {
    StructType existing =
        StructType.fromDDL(FACT_DDL.replace("latency_ms BIGINT", "latency_ms STRING"));
    Recording bigQuery = new Recording(Optional.of(existing));
    BigQueryGoldSink sink = new BigQueryGoldSink(INDIRECT, factSpec(), bigQuery);

    assertThatThrownBy(() -> sink.publish(FACT, facts("100"), Optional.empty()))
        .isInstanceOf(SchemaEvolution.TypeChangeException.class)
        .hasMessageContaining("acme-prod.agents.fact_agent_query")
        .hasMessageContaining("column 'latency_ms' is STRING in BigQuery but INT64 in gold");
    assertThat(bigQuery.writes).isEmpty();
  }

  @Test
  void anAddedColumnIsWrittenAndReportedAndIntWideningIsNotAChange() {
    // BigQuery reads INT64 back as BIGINT; gold's INT is the same INT64.
    StructType existing =
        StructType.fromDDL("query_id STRING, agent_key STRING, created_at TIMESTAMP");
    Recording bigQuery = new Recording(Optional.of(existing));
    Dataset<Row> gold = facts("100").withColumn("hour", org.apache.spark.sql.functions.lit(10));

    Publication publication =
        new BigQueryGoldSink(INDIRECT, factSpec(), bigQuery).publish(FACT, gold, Optional.empty());

    assertThat(publication.addedColumns).containsExactly("latency_ms", "hour");
    assertThat(bigQuery.writes).hasSize(1);
    assertThat(SchemaEvolution.bigQueryType(org.apache.spark.sql.types.DataTypes.IntegerType))
        .isEqualTo("INT64");
  }

  @Test
  void aSpecNamingAMissingOrUntimedPartitionFieldIsRefusedWithItsKey() {
    BigQueryTableSpec wrong =
        spec(FACT, "{table = t, write-mode = partitions, partition-field = latency_ms}");
    assertThatThrownBy(() -> wrong.validate(StructType.fromDDL(FACT_DDL)))
        .hasMessageContaining("gold.tables.\"gold.agents.fact_agent_query\".partition-field")
        .hasMessageContaining("DATE or TIMESTAMP");
    ConfigReader config = new ConfigReader(ConfigFactory.parseString("bigquery.dataset = w"));
    BigQueryTableSpec.from(config, FACT);
    assertThat(config.problems())
        .singleElement()
        .asString()
        .contains("gold.tables.\"gold.agents.fact_agent_query\"");
  }
}
