package com.acme.warehouse.jobs.commerce.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_timestamp;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.scd.Scd1Merge;
import com.acme.warehouse.common.scd.ScdResult;
import com.acme.warehouse.common.scd.ScdSpec;
import com.acme.warehouse.common.silver.DeliveryHistory;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.bronze.BronzeSource;
import com.acme.warehouse.jobs.bronze.BronzeTables;
import com.acme.warehouse.jobs.commerce.CommerceTables;
import com.acme.warehouse.jobs.silver.Acceptance;
import com.acme.warehouse.jobs.silver.ContractTyping;
import com.acme.warehouse.jobs.silver.SilverLoad;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code commerce-silver-<table>} for the TPC-H tables that arrive as full extracts: typed by the
 * source's contract (money DECIMAL, dates DATE; rows that cannot be typed, and keys one extract
 * gives different rows, go to {@code <table>_quarantine}), then historised:
 *
 * <ul>
 *   <li>SCD2 ({@code customer}, {@code supplier}, {@code part}): one extract at a time in delivery
 *       order (all in one merge), a new version when any attribute changes, effective at the
 *       extract's delivery date; a key missing from a later extract gets a deleted version.
 *   <li>SCD1 ({@code region}, {@code nation}, {@code partsupp}): the latest extract's values, an
 *       older extract never overwriting a newer one.
 * </ul>
 */
public final class SilverEntityJob implements Job {
  static final String DELIVERED_AT = "delivered_at";

  private enum History {
    SCD2,
    SCD1
  }

  private final String table;
  private final History history;
  private final List<String> keys;
  private final BronzeSource source;

  private SilverEntityJob(String table, History history, List<String> keys, BronzeSource source) {
    this.table = table;
    this.history = history;
    this.keys = keys;
    this.source = source;
  }

  public static List<JobDefinition> definitions() {
    return List.of(
        definition("customer", History.SCD2, "c_custkey"),
        definition("supplier", History.SCD2, "s_suppkey"),
        definition("part", History.SCD2, "p_partkey"),
        definition("nation", History.SCD1, "n_nationkey"),
        definition("region", History.SCD1, "r_regionkey"),
        definition("partsupp", History.SCD1, "ps_partkey", "ps_suppkey"));
  }

  private static JobDefinition definition(String table, History history, String... keys) {
    return JobDefinition.builder("commerce-silver-" + table)
        .layer(Layer.SILVER)
        .domain(CommerceTables.DOMAIN)
        .inputs(List.of(CommerceTables.bronze(table)))
        .outputs(
            List.of(CommerceTables.silver(table), CommerceTables.silver(table + "_quarantine")))
        .description(
            table + (history == History.SCD2 ? " as SCD2 from full extracts" : " (SCD1, latest)"))
        .factory(
            (config, app) ->
                new SilverEntityJob(
                    table,
                    history,
                    List.of(keys),
                    BronzeSource.find(config, CommerceTables.DOMAIN, table)))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    TableId silver = CommerceTables.silver(table);
    String target = context.location(silver);
    String quarantine = context.location(CommerceTables.silver(table + "_quarantine"));
    Watermark before = Watermark.parse(context.previousWatermark());
    Dataset<Row> bronze =
        SilverLoad.newBronzeRows(
            context,
            CommerceTables.bronze(table),
            before,
            silver,
            CommerceTables.silver(table + "_quarantine"));
    try {
      if (bronze.isEmpty()) {
        return JobResult.builder()
            .watermarkBefore(before.orNull())
            .watermarkAfter(before.orNull())
            .detail("message", "no new bronze rows")
            .build();
      }
      Dataset<Row> typed = ContractTyping.type(bronze, source.fields());
      Acceptance.Accepted accepted =
          history == History.SCD2
              ? Acceptance.acceptExport(spark, typed, keys, quarantine, context.runId())
              : Acceptance.accept(
                  spark, typed, keys, quarantine, context.runId(), "_delivery_date");
      JobResult.Builder result = accepted.counters();
      Watermark after =
          before.with("ingested", BronzeTables.watermarkOf(bronze, before.get("ingested")));
      if (history == History.SCD2) {
        DeliveryHistory.Outcome outcome =
            DeliveryHistory.apply(
                spark,
                accepted.rows,
                "_delivery_date",
                target,
                ScdSpec.builder(keys).check().deletionVectors(false),
                true,
                before.get("delivery").map(LocalDate::parse));
        after = after.with("delivery", outcome.last.map(LocalDate::toString));
        outcome.details(result);
      } else if (accepted.distinct > 0) {
        Dataset<Row> batch =
            accepted
                .rows
                .withColumn(DELIVERED_AT, to_timestamp(col("_delivery_date")))
                .drop("_delivery_date");
        ScdResult scd1 =
            Scd1Merge.apply(spark, batch, target, keys, table + "_key", Optional.of(DELIVERED_AT));
        result.detail("rows_inserted", scd1.inserted()).detail("rows_updated", scd1.updated());
      }
      return result.watermarkBefore(before.orNull()).watermarkAfter(after.orNull()).build();
    } finally {
      bronze.unpersist();
    }
  }
}
