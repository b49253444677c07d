package com.acme.warehouse.jobs.mentoring.silver;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.scd.ScdSpec;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.bronze.BronzeSource;
import com.acme.warehouse.jobs.mentoring.MentoringTables;
import com.acme.warehouse.jobs.silver.Acceptance;
import com.acme.warehouse.jobs.silver.ContractTyping;
import com.acme.warehouse.jobs.silver.SilverLoad;
import com.acme.warehouse.jobs.silver.TypedRows;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mentoring-silver-mentors}: the hand-kept tier sheet, typed by its contract (ids trimmed
 * and upper-case, tiers title-case: {@code Gold}, {@code Silver}, {@code Bronze}) and historised as
 * SCD2 effective from each row's {@code effective_from}, the sheet's own date, never the
 * delivery's: a tier change noted late lands at the date it took effect. A mentor missing from a
 * later sheet keeps its history (the sheet is maintained by hand; a missing row is not a deletion).
 */
public final class SilverMentorsJob implements Job {
  private final BronzeSource source;

  private SilverMentorsJob(BronzeSource source) {
    this.source = source;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("mentoring-silver-mentors")
        .layer(Layer.SILVER)
        .domain(MentoringTables.DOMAIN)
        .inputs(List.of(MentoringTables.BRONZE_MENTORS))
        .outputs(List.of(MentoringTables.MENTORS, MentoringTables.MENTORS_QUARANTINE))
        .description("mentor tiers and rates as SCD2 effective from effective_from")
        .factory(
            (config, app) ->
                new SilverMentorsJob(BronzeSource.find(config, MentoringTables.DOMAIN, "mentors")))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    String quarantine = context.location(MentoringTables.MENTORS_QUARANTINE);
    Watermark before = Watermark.parse(context.previousWatermark());
    Dataset<Row> bronze =
        SilverLoad.newBronzeRows(
            context,
            MentoringTables.BRONZE_MENTORS,
            before,
            MentoringTables.MENTORS,
            MentoringTables.MENTORS_QUARANTINE);
    try {
      Acceptance.Accepted accepted =
          Acceptance.acceptExport(
              spark,
              TypedRows.withVersionConflicts(
                  spark,
                  ContractTyping.type(bronze, source.fields()),
                  List.of("mentor_id"),
                  "effective_from",
                  context.location(MentoringTables.MENTORS)),
              List.of(),
              quarantine,
              context.runId());
      // The sheet is kept by hand: a missing row is not a deletion, so no full-extract deletes.
      return SilverLoad.historiseDeliveries(
          context,
          bronze,
          before,
          accepted,
          MentoringTables.MENTORS,
          ScdSpec.builder("mentor_id").timestamp("effective_from").deletionVectors(false),
          false);
    } finally {
      bronze.unpersist();
    }
  }
}
