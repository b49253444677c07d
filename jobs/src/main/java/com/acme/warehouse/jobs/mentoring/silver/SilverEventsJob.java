package com.acme.warehouse.jobs.mentoring.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;

import com.acme.warehouse.common.contract.FieldSpec;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.bronze.BronzeSource;
import com.acme.warehouse.jobs.bronze.BronzeTables;
import com.acme.warehouse.jobs.mentoring.MentoringTables;
import com.acme.warehouse.jobs.silver.ContractTyping;
import com.acme.warehouse.jobs.silver.SilverLoad;
import com.acme.warehouse.jobs.silver.TypedRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mentoring-silver-booking-events}: booking events typed by their contract ({@code user_id}
 * BIGINT whether it came as a number or a string, {@code mentor_id} trimmed and upper-case, times
 * as UTC instants), deduplicated by {@code event_id} (the first delivery wins; a re-delivered event
 * adds nothing), appended whatever their lateness: each event keeps its own timestamp. Partitioned
 * by month: a re-delivered event has its original timestamp, so the check for its id reads one
 * month. Malformed and untypable events go to the quarantine with the rule they broke.
 */
public final class SilverEventsJob implements Job {
  private final BronzeSource source;

  private SilverEventsJob(BronzeSource source) {
    this.source = source;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("mentoring-silver-booking-events")
        .layer(Layer.SILVER)
        .domain(MentoringTables.DOMAIN)
        .inputs(List.of(MentoringTables.BRONZE_EVENTS))
        .outputs(List.of(MentoringTables.EVENTS, MentoringTables.EVENTS_QUARANTINE))
        .description("typed, deduplicated booking events")
        .factory(
            (config, app) ->
                new SilverEventsJob(
                    BronzeSource.find(config, MentoringTables.DOMAIN, "booking_events")))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    String target = context.location(MentoringTables.EVENTS);
    String quarantine = context.location(MentoringTables.EVENTS_QUARANTINE);
    Watermark before = Watermark.parse(context.previousWatermark());
    Dataset<Row> bronze =
        SilverLoad.newBronzeRows(
            context,
            MentoringTables.BRONZE_EVENTS,
            before,
            MentoringTables.EVENTS,
            MentoringTables.EVENTS_QUARANTINE);
    try {
      JobResult.Builder result =
          SilverLoad.appendFirstDelivery(
              spark,
              type(bronze, source.fields()),
              "event_id",
              Optional.of("event_date"),
              target,
              quarantine,
              context.runId());
      Watermark after =
          before.with("ingested", BronzeTables.watermarkOf(bronze, before.get("ingested")));
      return result.watermarkBefore(before.orNull()).watermarkAfter(after.orNull()).build();
    } finally {
      bronze.unpersist();
    }
  }

  /**
   * Typed by the contract, with the event's instant as {@code event_ts} and the day and month it
   * falls in (the partition) right after it.
   */
  static Dataset<Row> type(Dataset<Row> bronze, List<FieldSpec> contract) {
    Dataset<Row> typed = ContractTyping.type(bronze, contract);
    Column at = col(TypedRows.TYPED + "timestamp");
    List<Column> columns = new ArrayList<>();
    for (String name : typed.columns()) {
      if (name.equals(TypedRows.TYPED + "timestamp")) {
        columns.add(at.as(TypedRows.TYPED + "event_ts"));
        columns.add(to_date(at).as(TypedRows.TYPED + "event_date"));
        columns.add(trunc(to_date(at), "month").as(TypedRows.TYPED + "event_month"));
      } else {
        columns.add(col(name));
      }
    }
    return typed.select(columns.toArray(new Column[0]));
  }
}
