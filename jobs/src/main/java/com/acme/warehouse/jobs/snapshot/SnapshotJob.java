package com.acme.warehouse.jobs.snapshot;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.scd.Scd2Merge;
import com.acme.warehouse.common.scd.ScdColumns;
import com.acme.warehouse.common.scd.ScdResult;
import com.acme.warehouse.common.scd.ScdSpec;
import com.typesafe.config.ConfigValueType;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code snapshot}: SCD Type 2 history of any table, configured entirely by {@code snapshot.*}
 * (source path and format, keys, strategy, updated-at or check columns, delete policy, full-extract
 * flag, metadata column names). How users snapshot tables this suite does not model, and how the
 * engine is exercised end to end.
 */
public final class SnapshotJob implements Job {
  public static final String NAME = "snapshot";
  private static final Set<String> FORMATS =
      Set.of("delta", "parquet", "csv", "json", "orc", "avro");

  private final String sourcePath;
  private final String format;
  private final Map<String, String> options;
  private final String targetPath;
  private final ScdSpec spec;

  private SnapshotJob(
      String sourcePath,
      String format,
      Map<String, String> options,
      String targetPath,
      ScdSpec spec) {
    this.sourcePath = sourcePath;
    this.format = format;
    this.options = options;
    this.targetPath = targetPath;
    this.spec = spec;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder(NAME)
        .layer(Layer.UTILITY)
        .description("SCD2 history of any table, configured by snapshot.*")
        .factory((config, app) -> SnapshotJob.from(config.at("snapshot")))
        .build();
  }

  /** Reads and validates {@code snapshot.*}; returns null (with problems recorded) when invalid. */
  static SnapshotJob from(ConfigReader c) {
    String source = c.nonEmptyString("source.path");
    String format = c.oneOf("source.format", FORMATS);
    Map<String, String> options = c.flatStrings("source.options");
    String target = c.nonEmptyString("target.path");
    List<String> keys = c.identifierList("keys");
    if (c.has("keys") && keys.isEmpty()) {
      c.problem("keys", "must name at least one business key column");
    }
    String strategy = c.oneOf("strategy", Set.of("timestamp", "check"));
    String updatedAt =
        c.optionalString("updated-at").isPresent() ? c.identifier("updated-at") : null;
    List<String> checkColumns = null;
    if (c.has("check-columns")
        && c.root().getValue(c.path("check-columns")).valueType() == ConfigValueType.LIST) {
      checkColumns = c.identifierList("check-columns");
    } else if (!"all".equals(c.string("check-columns"))) {
      c.problem("check-columns", "must be a list of columns or \"all\"");
    }
    Instant effective = c.optionalInstant("effective-time").orElse(null);
    // Set but not an instant is reported above; only an unset value is "must be set" below.
    boolean effectiveSet = c.optionalString("effective-time").isPresent();
    String deletes = c.oneOf("hard-deletes", Set.of("ignore", "invalidate", "new_record"));
    boolean fullExtract = c.bool("full-extract");
    boolean deletionVectors = c.bool("deletion-vectors");
    ScdColumns columns = columns(c.at("columns"));
    requireTogether(c, strategy, updatedAt != null, effectiveSet, deletes, fullExtract);
    if (!c.problems().isEmpty() || keys.isEmpty()) {
      return null;
    }
    ScdSpec.Builder spec =
        ScdSpec.builder(keys)
            .fullExtract(fullExtract)
            .hardDeletes(ScdSpec.HardDeletes.valueOf(deletes.toUpperCase(Locale.ROOT)))
            .effectiveTime(effective)
            .deletionVectors(deletionVectors)
            .columns(columns);
    if ("timestamp".equals(strategy)) {
      spec.timestamp(updatedAt);
    } else {
      spec.check(checkColumns == null ? new String[0] : checkColumns.toArray(new String[0]));
      if (updatedAt != null) {
        spec.updatedAt(updatedAt);
      }
    }
    return new SnapshotJob(source, format, options, target, spec.build());
  }

  private static ScdColumns columns(ConfigReader names) {
    return new ScdColumns(
        names.identifier("valid-from"),
        names.identifier("valid-to"),
        names.identifier("is-current"),
        names.identifier("is-deleted"),
        names.identifier("version-key"));
  }

  /** Rules between keys, each problem named on the key the user should change. */
  private static void requireTogether(
      ConfigReader c,
      String strategy,
      boolean updatedAtSet,
      boolean effectiveSet,
      String deletes,
      boolean fullExtract) {
    if ("timestamp".equals(strategy) && !updatedAtSet) {
      c.problem("updated-at", "must be set when snapshot.strategy = timestamp");
    }
    if ("check".equals(strategy) && !updatedAtSet && !effectiveSet) {
      c.problem(
          "effective-time",
          "must be set when snapshot.strategy = check and snapshot.updated-at is empty");
    }
    if (Set.of("invalidate", "new_record").contains(deletes)) {
      if (!fullExtract) {
        c.problem(
            "full-extract",
            "must be true when snapshot.hard-deletes = "
                + deletes
                + " (deletes are only visible in a full extract)");
      }
      if (!effectiveSet) {
        c.problem(
            "effective-time",
            "must be set when snapshot.hard-deletes = " + deletes + " (the time of the deletes)");
      }
    }
  }

  @Override
  public List<String> describe() {
    return List.of(
        "reads " + format + " " + sourcePath,
        "historises into "
            + targetPath
            + " by "
            + spec.keys()
            + " ("
            + spec.strategy().name().toLowerCase(Locale.ROOT)
            + ", deletes "
            + spec.hardDeletes().name().toLowerCase(Locale.ROOT)
            + ")");
  }

  @Override
  public JobResult run(JobContext context) {
    Dataset<Row> batch = context.spark().read().format(format).options(options).load(sourcePath);
    ScdResult result = Scd2Merge.apply(context.spark(), batch, targetPath, spec);
    return JobResult.builder()
        .rowsRead(result.rowsIn())
        .rowsWritten(result.inserted() + result.updated())
        .detail("source", sourcePath)
        .detail("target", targetPath)
        .detail("versions_inserted", result.inserted())
        .detail("versions_updated", result.updated())
        .detail("deletes", result.deletes())
        .detail("unchanged", result.unchanged())
        .build();
  }
}
