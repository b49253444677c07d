package com.acme.warehouse.jobs.sampledata;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import java.util.List;
import java.util.Map;

/**
 * {@code generate-sample-data --scale S --seed N [--out DIR]}: realistic raw extracts of every
 * domain, with the defects of DOMAINS.md planted at configured rates and a {@code _truth.json} per
 * domain, for the quick start, the tests and the benchmarks.
 */
public final class GenerateSampleDataJob implements Job {
  public static final String NAME = "generate-sample-data";

  private final SampleDataSettings settings;

  private GenerateSampleDataJob(SampleDataSettings settings) {
    this.settings = settings;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder(NAME)
        .layer(Layer.UTILITY)
        .description("raw extracts with planted defects and _truth.json, for every domain")
        .option("--scale", "sample-data.scale", "S", "1 = quick-start size; rows grow linearly")
        .option("--seed", "sample-data.seed", "N", "same seed and scale, same bytes")
        .option("--out", "sample-data.out", "DIR", "root of the raw extracts (default paths.raw)")
        .factory(
            (config, app) ->
                new GenerateSampleDataJob(SampleDataSettings.from(config.at("sample-data"))))
        .build();
  }

  @Override
  public List<String> describe() {
    return List.of(
        "writes " + settings.domains + " at scale " + settings.scale + ", seed " + settings.seed,
        "into " + settings.out);
  }

  @Override
  public JobResult run(JobContext context) {
    Map<String, Long> rows =
        new SampleDataGenerator(settings, context.spark().sparkContext().hadoopConfiguration())
            .run();
    JobResult.Builder result =
        JobResult.builder().rowsWritten(rows.values().stream().mapToLong(Long::longValue).sum());
    result
        .detail("out", settings.out)
        .detail("scale", settings.scale)
        .detail("seed", settings.seed);
    result.detail("rows_by_domain", rows);
    return result.build();
  }
}
