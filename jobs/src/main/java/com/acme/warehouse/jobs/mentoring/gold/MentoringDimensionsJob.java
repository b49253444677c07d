package com.acme.warehouse.jobs.mentoring.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.gold.GoldTables;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.jobs.mentoring.MentoringTables;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code mentoring-gold-dimensions}: {@code dim_users} and {@code dim_mentors} (one row per SCD2
 * version, keyed by the version key from {@code common}, plus the unknown member) and {@code
 * dim_date} over the events' range. Rebuilt whole from silver each run: small, and identical on a
 * rerun.
 */
public final class MentoringDimensionsJob implements Job {
  private final int fiscalStartMonth;

  private MentoringDimensionsJob(int fiscalStartMonth) {
    this.fiscalStartMonth = fiscalStartMonth;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("mentoring-gold-dimensions")
        .layer(Layer.GOLD)
        .domain(MentoringTables.DOMAIN)
        .inputs(List.of(MentoringTables.USERS, MentoringTables.MENTORS, MentoringTables.EVENTS))
        .outputs(
            List.of(
                MentoringTables.DIM_USERS, MentoringTables.DIM_MENTORS, MentoringTables.DIM_DATE))
        .description("SCD2 user and mentor dimensions with unknown members, and dim_date")
        .factory(
            (config, app) -> new MentoringDimensionsJob(Dimensions.fiscalYearStartMonth(config)))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    Dataset<Row> users =
        context
            .read(MentoringTables.USERS)
            .select(
                col("version_key").as("user_key"),
                col("user_id"),
                col("company_id"),
                col("email"),
                col("signup_date"),
                col("status"),
                col("is_deleted"),
                col("valid_from"),
                col("valid_to"),
                col("is_current"));
    Dataset<Row> dimUsers =
        users.unionByName(Dimensions.unknownMember(users, "user_key", "status"));
    Dataset<Row> mentors =
        context
            .read(MentoringTables.MENTORS)
            .select(
                col("version_key").as("mentor_key"),
                col("mentor_id"),
                col("mentor_name"),
                col("tier"),
                col("hourly_rate"),
                col("valid_from"),
                col("valid_to"),
                col("is_current"));
    Dataset<Row> dimMentors =
        mentors.unionByName(Dimensions.unknownMember(mentors, "mentor_key", "tier"));
    Row range =
        context.read(MentoringTables.EVENTS).agg(min("event_date"), max("event_date")).head();
    GoldTables.replace(dimUsers, context.location(MentoringTables.DIM_USERS));
    GoldTables.replace(dimMentors, context.location(MentoringTables.DIM_MENTORS));
    Dataset<Row> dates = Dimensions.datesCovering(spark, range, fiscalStartMonth);
    GoldTables.replace(dates, context.location(MentoringTables.DIM_DATE));
    long days = dates.count();
    long userRows = dimUsers.count();
    long mentorRows = dimMentors.count();
    return JobResult.builder()
        .rowsWritten(userRows + mentorRows + days)
        .detail("dim_users", userRows)
        .detail("dim_mentors", mentorRows)
        .detail("dim_date", days)
        .build();
  }
}
