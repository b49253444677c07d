package com.acme.warehouse.common.ops;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.TableId;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import scala.Option;

/**
 * What a job's run depended on, kept in its run-log details: the Delta version of every declared
 * input (a raw input: the job's digest of the files that landed), the versions its outputs had when
 * it finished, and a hash of the run date and of the configuration that decides what jobs write
 * ({@link #whatJobsCompute}). A job whose fingerprint equals its last successful run's has nothing
 * to do. Reading it costs a listing of each table's transaction log, never a read of data.
 */
public final class RunFingerprint {
  public static final String DETAIL = "fingerprint";
  private static final String ABSENT = "absent";
  private static final List<String> EXECUTION_ONLY =
      List.of(
          "paths",
          "pipeline",
          "jobs",
          "spark.master",
          "spark.app-name",
          "spark.conf.spark.scheduler",
          // Whether gold recomputes in part or rebuilds: the same tables either way.
          "gold.incremental-max-fraction",
          "gold.incremental-min-input-rows",
          "config",
          "report",
          "quality.report",
          "sample-data");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> inputs;
  private final Map<String, String> outputs;
  private final String config;

  private RunFingerprint(Map<String, String> inputs, Map<String, String> outputs, String config) {
    this.inputs = inputs;
    this.outputs = outputs;
    this.config = config;
  }

  /**
   * The job's fingerprint now, or empty when it cannot have one: no declared input, a raw input the
   * job cannot digest, or a job that always runs.
   */
  public static Optional<RunFingerprint> of(
      JobDefinition definition, Job job, JobContext context, Optional<LocalDate> runDate) {
    if (definition.inputs().isEmpty() || definition.alwaysRuns()) {
      return Optional.empty();
    }
    Map<String, String> inputs = new LinkedHashMap<>();
    for (TableId input : definition.inputs()) {
      if (input.isExternal()) {
        Optional<String> digest = job.rawInputDigest(context);
        if (digest.isEmpty()) {
          return Optional.empty();
        }
        inputs.put(input.toString(), digest.get());
      } else {
        inputs.put(input.toString(), version(context.spark(), context.location(input)));
      }
    }
    String settings =
        whatJobsCompute(context.config().raw()).root().render(ConfigRenderOptions.concise())
            + "|run-date="
            + runDate.map(LocalDate::toString).orElse("");
    return Optional.of(new RunFingerprint(inputs, outputs(definition, context), digest(settings)));
  }

  /**
   * The configuration without the settings that say where and how a run executes, never what it
   * writes: how many jobs run at once, time limits and leases, the master, where the warehouse and
   * the raw files are (the inputs' versions and the raw files' paths are in the fingerprint
   * already), the report pages, how sample data is generated. Changing one of them leaves every
   * output as it was, so it does not make the next run recompute the suite.
   */
  static Config whatJobsCompute(Config config) {
    Config kept = config;
    for (String executionOnly : EXECUTION_ONLY) {
      kept = kept.withoutPath(executionOnly);
    }
    return kept;
  }

  /** This fingerprint with the outputs' versions as they are now (after the run wrote them). */
  public RunFingerprint afterRun(JobDefinition definition, JobContext context) {
    return new RunFingerprint(inputs, outputs(definition, context), config);
  }

  /** The fingerprint a successful run recorded in its details, if it recorded one. */
  static Optional<RunFingerprint> fromDetails(String detailsJson) {
    if (detailsJson == null) {
      return Optional.empty();
    }
    try {
      Map<String, Object> details =
          JSON.readValue(detailsJson, new TypeReference<Map<String, Object>>() {});
      Object stored = details.get(DETAIL);
      if (!(stored instanceof Map)) {
        return Optional.empty();
      }
      Map<String, Object> fields = JSON.convertValue(stored, new TypeReference<>() {});
      return Optional.of(
          new RunFingerprint(
              JSON.convertValue(fields.get("inputs"), new TypeReference<>() {}),
              JSON.convertValue(fields.get("outputs"), new TypeReference<>() {}),
              (String) fields.get("config")));
    } catch (java.io.IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** As stored in the run log's details. */
  public Map<String, Object> asDetail() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("inputs", inputs);
    fields.put("outputs", outputs);
    fields.put("config", config);
    return fields;
  }

  /** The first difference from an earlier fingerprint, in words; empty when there is none. */
  public Optional<String> differenceFrom(RunFingerprint earlier) {
    if (!config.equals(earlier.config)) {
      return Optional.of("configuration or run date changed");
    }
    for (Map.Entry<String, String> input : inputs.entrySet()) {
      String before = earlier.inputs == null ? null : earlier.inputs.get(input.getKey());
      if (!input.getValue().equals(before)) {
        return Optional.of("input " + input.getKey() + " moved");
      }
    }
    if (earlier.inputs == null || earlier.inputs.size() != inputs.size()) {
      return Optional.of("declared inputs changed");
    }
    if (!outputs.equals(earlier.outputs)) {
      return Optional.of("an output changed since the last run");
    }
    return Optional.empty();
  }

  private static Map<String, String> outputs(JobDefinition definition, JobContext context) {
    Map<String, String> outputs = new LinkedHashMap<>();
    for (TableId output : definition.outputs()) {
      if (!output.isExternal()) {
        outputs.put(output.toString(), version(context.spark(), context.location(output)));
      }
    }
    return outputs;
  }

  /** The table's latest Delta version, from its transaction log; "absent" when it has none. */
  private static String version(SparkSession spark, String location) {
    long version =
        DeltaLog.forTable(spark, location).update(false, Option.empty(), Option.empty()).version();
    return version < 0 ? ABSENT : Long.toString(version);
  }

  /** A SHA-256 digest of text, hex-encoded: how a fingerprint keeps what it cannot store whole. */
  public static String digest(String text) {
    try {
      StringBuilder hex = new StringBuilder();
      for (byte b :
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))) {
        hex.append(String.format("%02x", b));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
