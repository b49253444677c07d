package com.acme.warehouse.jobs.mentoring.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.initcap;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.scd.ScdSpec;
import com.acme.warehouse.common.silver.Cast;
import com.acme.warehouse.common.silver.Quarantine;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.mentoring.MentoringTables;
import com.acme.warehouse.jobs.silver.SilverSupport;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mentoring-silver-mentors}: the hand-kept tier sheet, cleaned (ids trimmed and upper-case,
 * tiers canonical: {@code Gold}, {@code Silver}, {@code Bronze}) and historised as SCD2 effective
 * from each row's {@code effective_from}, the sheet's own date, never the delivery's: a tier change
 * noted late lands at the date it took effect. A mentor missing from a later sheet keeps its
 * history (the sheet is maintained by hand; a missing row is not a deletion).
 */
public final class SilverMentorsJob implements Job {
  private static final List<String> TIERS = List.of("Gold", "Silver", "Bronze");

  public static JobDefinition definition() {
    return JobDefinition.builder("mentoring-silver-mentors")
        .layer(Layer.SILVER)
        .domain(MentoringTables.DOMAIN)
        .inputs(List.of(MentoringTables.BRONZE_MENTORS))
        .outputs(List.of(MentoringTables.MENTORS, MentoringTables.MENTORS_QUARANTINE))
        .description("mentor tiers and rates as SCD2 effective from effective_from")
        .factory((config, app) -> new SilverMentorsJob())
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    String quarantine = context.location(MentoringTables.MENTORS_QUARANTINE);
    Watermark before = Watermark.parse(context.previousWatermark());
    Dataset<Row> bronze =
        SilverSupport.newBronzeRows(
            context,
            MentoringTables.BRONZE_MENTORS,
            before,
            MentoringTables.MENTORS,
            MentoringTables.MENTORS_QUARANTINE);
    try {
      SilverSupport.Accepted accepted =
          SilverSupport.acceptExport(
              spark,
              SilverSupport.withVersionConflicts(
                  spark,
                  type(bronze),
                  List.of("mentor_id"),
                  "effective_from",
                  context.location(MentoringTables.MENTORS)),
              List.of(),
              quarantine,
              context.runId());
      // The sheet is kept by hand: a missing row is not a deletion, so no full-extract deletes.
      return SilverSupport.historiseDeliveries(
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

  static Dataset<Row> type(Dataset<Row> bronze) {
    Column mentorId = upper(Cast.text(col("mentor_id")));
    Column tier = initcap(lower(Cast.text(col("tier"))));
    Column rate = Cast.decimal(col("hourly_rate"), 10, 2);
    Column from = Cast.date(col("effective_from"));
    Column badTier = tier.isNull().or(tier.isin(TIERS.toArray()).equalTo(false));
    Column rule =
        when(col("_is_malformed"), lit("malformed_record"))
            .when(mentorId.isNull(), lit("mentor_id_missing"))
            .when(from.isNull(), lit("effective_from_not_a_date"))
            .when(badTier, lit("tier_not_accepted"))
            .when(Cast.failed(col("hourly_rate"), rate), lit("hourly_rate_not_a_number"));
    Column reason =
        when(col("_is_malformed"), col("_error"))
            .when(mentorId.isNull(), lit("mentor_id is empty"))
            .when(
                from.isNull(),
                Cast.reason("effective_from", col("effective_from"), "a date (YYYY-MM-DD)"))
            .when(badTier, concat(lit("tier '"), col("tier"), lit("' is not one of " + TIERS)))
            .when(
                Cast.failed(col("hourly_rate"), rate),
                Cast.reason("hourly_rate", col("hourly_rate"), "a number"));
    return bronze.select(
        col("*"),
        mentorId.as("_t_mentor_id"),
        Cast.text(col("mentor_name")).as("_t_mentor_name"),
        tier.as("_t_tier"),
        rate.as("_t_hourly_rate"),
        from.as("_t_effective_from"),
        rule.as(Quarantine.RULE),
        reason.as(Quarantine.REASON));
  }
}
