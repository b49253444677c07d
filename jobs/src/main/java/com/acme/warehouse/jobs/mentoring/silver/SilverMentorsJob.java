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
 * {@code mentoring-silver-mentors}: the hand-kept tier sheet, typed by its contract (ids trimmed
 * and upper-case, tiers title-case: {@code Gold}, {@code Silver}, {@code Bronze}) and historised as
 * SCD2 effective from each row's {@code effective_from}, the sheet's own date, never the
 * delivery's: a tier change noted late lands at the date it took effect. A mentor missing from a
 * later sheet keeps its history (the sheet is maintained by hand; a missing row is not a deletion).
 */
public final class SilverMentorsJob implements Job {
  private static final ExportHistory EXPORTS =
      ExportHistory.of(
              MentoringTables.BRONZE_MENTORS,
              MentoringTables.MENTORS,
              MentoringTables.MENTORS_QUARANTINE,
              "mentor_id",
              "effective_from")
          .missingRowsKept();

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
    return EXPORTS.run(context, source.fields());
  }
}
