package com.acme.warehouse.common.publish;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.gold.ChangeFeed;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code <domain>-publish-<table>}: publishes one gold table to the configured sink, as its own
 * step, so a failed publish is retried without recomputing gold. One is registered for every gold
 * table a job declares. The watermark is the Delta version last published and where to ({@code
 * bigquery:project.dataset.table@7}): publishing the same version to the same place again sends
 * nothing, and the sink is given that version to send only what changed. {@code --full-refresh}
 * publishes the current version whole.
 */
public final class PublishJob implements Job {
  /** Partitions listed in the run log at most; the count is always there. */
  private static final int LISTED_PARTITIONS = 50;

  private final TableId table;
  private final BigQueryTableSpec spec;
  private final BigQuerySettings settings;
  private final String sink;

  private PublishJob(
      TableId table, BigQueryTableSpec spec, BigQuerySettings settings, String sink) {
    this.table = table;
    this.spec = spec;
    this.settings = settings;
    this.sink = sink;
  }

  /** A publish step for every gold table the given jobs write. */
  public static List<JobDefinition> definitions(List<JobDefinition> jobs) {
    List<JobDefinition> publish = new ArrayList<>();
    for (JobDefinition job : jobs) {
      if (job.layer() != Layer.GOLD) {
        continue;
      }
      for (TableId table : job.outputs()) {
        String domain = table.domain().orElseThrow();
        publish.add(
            JobDefinition.builder(domain + "-publish-" + table.name().replace('_', '-'))
                .layer(Layer.PUBLISH)
                .domain(domain)
                .inputs(List.of(table))
                .description("publish " + table + " to the gold sink")
                .factory(
                    (config, app) -> {
                      BigQueryTableSpec spec = BigQueryTableSpec.from(config, table);
                      BigQuerySettings settings = BigQuerySettings.from(config);
                      if (AppConfig.SINK_BIGQUERY.equals(app.goldSink())
                          && BigQuerySettings.DIRECT.equals(settings.writeMethod())
                          && spec.writeMode() == BigQueryTableSpec.WriteMode.PARTITIONS) {
                        // Changed partitions go through a staging table and a MERGE: a load.
                        config.problem(
                            "bigquery.write-method",
                            "direct cannot publish "
                                + BigQueryTableSpec.key(table)
                                + " (write-mode = partitions, replaced partition by partition"
                                + " through a staging table); use indirect");
                      }
                      return new PublishJob(table, spec, settings, app.goldSink());
                    })
                .build());
      }
    }
    return publish;
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    String location = context.location(table);
    long version = ChangeFeed.version(spark, location);
    if (version < 0) {
      throw new IllegalStateException(table + ": no gold table at " + location + " to publish");
    }
    // The watermark names where the version went: a publish to another sink or table (a changed
    // spec, a new project) starts over instead of sending only what changed since elsewhere.
    String target = target(context);
    Optional<String> before = context.previousWatermark();
    Optional<Long> last =
        before
            .filter(watermark -> watermark.startsWith(target + "@"))
            .map(watermark -> Long.valueOf(watermark.substring(target.length() + 1)));
    JobResult.Builder result =
        JobResult.builder()
            .watermarkBefore(before.orElse(null))
            .watermarkAfter(target + "@" + version)
            .detail("gold_version", version);
    if (last.isPresent() && last.get() == version) {
      return result.detail("mode", Publication.UNCHANGED).build();
    }
    // Pinned to the version read, so a gold write running meanwhile cannot slip in half-seen.
    Dataset<Row> current = versionOf(spark, location, version);
    spec.validate(current.schema()); // whatever the sink: a broken spec is found locally
    Optional<Dataset<Row>> lastPublished = last.map(v -> versionOf(spark, location, v));
    Publication publication = sink(context).publish(table, current, lastPublished);
    List<String> listed =
        publication.partitions.subList(
            0, Math.min(LISTED_PARTITIONS, publication.partitions.size()));
    return result
        .rowsWritten(publication.rows)
        .detail("sink", sink)
        .detail("target", publication.target)
        .detail("mode", publication.mode)
        .detail("partitions_replaced", publication.partitions.size())
        .detail("partitions", listed)
        .detail("columns_added", publication.addedColumns)
        .detail("parity", publication.parity)
        .build();
  }

  private String target(JobContext context) {
    return AppConfig.SINK_BIGQUERY.equals(sink)
        ? "bigquery:" + settings.project() + "." + spec.dataset() + "." + spec.table()
        : "delta:" + context.location(table);
  }

  private GoldSink sink(JobContext context) {
    if (AppConfig.SINK_BIGQUERY.equals(sink)) {
      return new BigQueryGoldSink(settings, spec);
    }
    return new DeltaGoldSink(context.location(table));
  }

  private static Dataset<Row> versionOf(SparkSession spark, String location, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(location);
  }
}
