package com.acme.warehouse.jobs.mentoring.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
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
 * {@code mentoring-silver-users}: the users export, typed ({@code user_id} BIGINT, status
 * canonical, {@code updated_at} a UTC instant) and historised as SCD2, one full export at a time in
 * delivery order: a version per distinct {@code updated_at}; a user missing from an export gets a
 * deleted version as of that export's date. Duplicate rows (the app's retry bug) collapse; rows
 * that cannot be typed go to {@code users_quarantine}.
 */
public final class SilverUsersJob implements Job {
  private static final List<String> STATUSES = List.of("active", "churned", "invited");

  public static JobDefinition definition() {
    return JobDefinition.builder("mentoring-silver-users")
        .layer(Layer.SILVER)
        .domain(MentoringTables.DOMAIN)
        .inputs(List.of(MentoringTables.BRONZE_USERS))
        .outputs(List.of(MentoringTables.USERS, MentoringTables.USERS_QUARANTINE))
        .description("users as SCD2 from the full exports, with tombstones")
        .factory((config, app) -> new SilverUsersJob())
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    String quarantine = context.location(MentoringTables.USERS_QUARANTINE);
    Watermark before = Watermark.parse(context.previousWatermark());
    Dataset<Row> bronze =
        SilverSupport.newBronzeRows(
            context,
            MentoringTables.BRONZE_USERS,
            before,
            MentoringTables.USERS,
            MentoringTables.USERS_QUARANTINE);
    try {
      SilverSupport.Accepted accepted =
          SilverSupport.acceptExport(
              spark,
              SilverSupport.withVersionConflicts(
                  spark,
                  type(bronze),
                  List.of("user_id"),
                  "updated_at",
                  context.location(MentoringTables.USERS)),
              List.of(),
              quarantine,
              context.runId());
      return SilverSupport.historiseDeliveries(
          context,
          bronze,
          before,
          accepted,
          MentoringTables.USERS,
          SilverSupport.fullExport("user_id", "updated_at"),
          true);
    } finally {
      bronze.unpersist();
    }
  }

  /** Typed columns plus the first rule a row breaks (NULL when it breaks none) and why. */
  static Dataset<Row> type(Dataset<Row> bronze) {
    Column userId = Cast.bigint(col("user_id"));
    Column companyId = Cast.bigint(col("company_id"));
    Column signup = Cast.date(col("signup_date"));
    Column status = lower(Cast.text(col("status")));
    Column updatedAt = Cast.timestamp(col("updated_at"));
    Column rule =
        when(col("_is_malformed"), lit("malformed_record"))
            .when(userId.isNull(), lit("user_id_not_a_number"))
            .when(updatedAt.isNull(), lit("updated_at_not_a_timestamp"))
            .when(Cast.failed(col("company_id"), companyId), lit("company_id_not_a_number"))
            .when(Cast.failed(col("signup_date"), signup), lit("signup_date_not_a_date"))
            .when(
                status.isNotNull().and(status.isin(STATUSES.toArray()).equalTo(false)),
                lit("status_not_accepted"));
    Column reason =
        when(col("_is_malformed"), col("_error"))
            .when(userId.isNull(), Cast.reason("user_id", col("user_id"), "a whole number"))
            .when(
                updatedAt.isNull(),
                Cast.reason("updated_at", col("updated_at"), "an ISO-8601 timestamp"))
            .when(
                Cast.failed(col("company_id"), companyId),
                Cast.reason("company_id", col("company_id"), "a whole number"))
            .when(
                Cast.failed(col("signup_date"), signup),
                Cast.reason("signup_date", col("signup_date"), "a date (YYYY-MM-DD)"))
            .when(
                status.isNotNull().and(status.isin(STATUSES.toArray()).equalTo(false)),
                concat(lit("status '"), col("status"), lit("' is not one of " + STATUSES)));
    return bronze.select(
        col("*"),
        userId.as("_t_user_id"),
        companyId.as("_t_company_id"),
        Cast.text(col("email")).as("_t_email"),
        signup.as("_t_signup_date"),
        status.as("_t_status"),
        updatedAt.as("_t_updated_at"),
        rule.as(Quarantine.RULE),
        reason.as(Quarantine.REASON));
  }
}
