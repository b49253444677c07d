package com.acme.warehouse.jobs.mentoring.silver;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.jobs.bronze.BronzeSource;
import com.acme.warehouse.jobs.mentoring.MentoringTables;
import com.acme.warehouse.jobs.silver.ExportHistory;
import java.util.List;

/**
 * {@code mentoring-silver-users}: the users export, typed by its contract ({@code user_id} BIGINT,
 * status lower-case, {@code updated_at} a UTC instant) and historised as SCD2, one full export at a
 * time in delivery order: a version per distinct {@code updated_at}; a user missing from an export
 * gets a deleted version as of that export's date. Duplicate rows (the app's retry bug) collapse;
 * rows that cannot be typed go to {@code users_quarantine}.
 */
public final class SilverUsersJob implements Job {
  private static final ExportHistory EXPORTS =
      ExportHistory.of(
          MentoringTables.BRONZE_USERS,
          MentoringTables.USERS,
          MentoringTables.USERS_QUARANTINE,
          "user_id",
          "updated_at");

  private final BronzeSource source;

  private SilverUsersJob(BronzeSource source) {
    this.source = source;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("mentoring-silver-users")
        .layer(Layer.SILVER)
        .domain(MentoringTables.DOMAIN)
        .inputs(List.of(MentoringTables.BRONZE_USERS))
        .outputs(List.of(MentoringTables.USERS, MentoringTables.USERS_QUARANTINE))
        .description("users as SCD2 from the full exports, with tombstones")
        .factory(
            (config, app) ->
                new SilverUsersJob(BronzeSource.find(config, MentoringTables.DOMAIN, "users")))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    return EXPORTS.run(context, source.fields());
  }
}
