package com.acme.warehouse.common.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** One row of the run log: what one job run did, and how it ended. */
public final class RunRecord {
  public static final String SUCCEEDED = "succeeded";
  public static final String FAILED = "failed";

  /**
   * Nothing to do: the job's inputs, outputs and config are as its last successful run left them.
   */
  public static final String SKIPPED = "skipped";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String runId;
  private final String pipelineId;
  private final String job;
  private final String layer;
  private final String domain;
  private final String env;
  private final Instant start;
  private final Instant end;
  private final String status;
  private final boolean fullRefresh;
  private final long rowsRead;
  private final long rowsWritten;
  private final long rowsQuarantined;
  private final String watermarkBefore;
  private final String watermarkAfter;
  private final String error;
  private final Map<String, Object> details;

  private RunRecord(Builder b) {
    this.runId = b.runId;
    this.pipelineId = b.pipelineId;
    this.job = b.job;
    this.layer = b.layer;
    this.domain = b.domain;
    this.env = b.env;
    this.start = b.start;
    this.end = b.end;
    this.status = b.status;
    this.fullRefresh = b.fullRefresh;
    this.rowsRead = b.rowsRead;
    this.rowsWritten = b.rowsWritten;
    this.rowsQuarantined = b.rowsQuarantined;
    this.watermarkBefore = b.watermarkBefore;
    this.watermarkAfter = b.watermarkAfter;
    this.error = b.error;
    this.details = b.details;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String runId() {
    return runId;
  }

  public Optional<String> pipelineId() {
    return Optional.ofNullable(pipelineId);
  }

  public String job() {
    return job;
  }

  public String layer() {
    return layer;
  }

  public Optional<String> domain() {
    return Optional.ofNullable(domain);
  }

  public String env() {
    return env;
  }

  public Instant start() {
    return start;
  }

  public Instant end() {
    return end;
  }

  public Duration duration() {
    return Duration.between(start, end);
  }

  public String status() {
    return status;
  }

  public boolean succeeded() {
    return SUCCEEDED.equals(status);
  }

  public boolean fullRefresh() {
    return fullRefresh;
  }

  public long rowsRead() {
    return rowsRead;
  }

  public long rowsWritten() {
    return rowsWritten;
  }

  public long rowsQuarantined() {
    return rowsQuarantined;
  }

  public Optional<String> watermarkBefore() {
    return Optional.ofNullable(watermarkBefore);
  }

  public Optional<String> watermarkAfter() {
    return Optional.ofNullable(watermarkAfter);
  }

  public Optional<String> error() {
    return Optional.ofNullable(error);
  }

  public Map<String, Object> details() {
    return details;
  }

  /** The details as a JSON object, as stored in the run log. */
  public String detailsJson() {
    return toJson(details);
  }

  /** The one-line JSON summary printed after every run. */
  public String summaryJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("run_id", runId);
    json.put("pipeline_id", pipelineId);
    json.put("job", job);
    json.put("status", status);
    json.put("start", start.toString());
    json.put("end", end.toString());
    json.put("duration_ms", duration().toMillis());
    json.put("full_refresh", fullRefresh);
    json.put("rows_read", rowsRead);
    json.put("rows_written", rowsWritten);
    json.put("rows_quarantined", rowsQuarantined);
    json.put("watermark_before", watermarkBefore);
    json.put("watermark_after", watermarkAfter);
    json.put("error", error);
    json.put("details", details);
    return toJson(json);
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "run details are not JSON-serialisable: " + e.getMessage(), e);
    }
  }

  /** Builds a {@link RunRecord}. */
  public static final class Builder {
    private String runId;
    private String pipelineId;
    private String job;
    private String layer;
    private String domain;
    private String env;
    private Instant start;
    private Instant end;
    private String status;
    private boolean fullRefresh;
    private long rowsRead;
    private long rowsWritten;
    private long rowsQuarantined;
    private String watermarkBefore;
    private String watermarkAfter;
    private String error;
    private Map<String, Object> details = Map.of();

    private Builder() {}

    public Builder runId(String runId) {
      this.runId = runId;
      return this;
    }

    public Builder pipelineId(String pipelineId) {
      this.pipelineId = pipelineId;
      return this;
    }

    public Builder job(String job) {
      this.job = job;
      return this;
    }

    public Builder layer(String layer) {
      this.layer = layer;
      return this;
    }

    public Builder domain(String domain) {
      this.domain = domain;
      return this;
    }

    public Builder env(String env) {
      this.env = env;
      return this;
    }

    public Builder start(Instant start) {
      this.start = start;
      return this;
    }

    public Builder end(Instant end) {
      this.end = end;
      return this;
    }

    public Builder status(String status) {
      this.status = status;
      return this;
    }

    public Builder fullRefresh(boolean fullRefresh) {
      this.fullRefresh = fullRefresh;
      return this;
    }

    public Builder rowsRead(long rows) {
      this.rowsRead = rows;
      return this;
    }

    public Builder rowsWritten(long rows) {
      this.rowsWritten = rows;
      return this;
    }

    public Builder rowsQuarantined(long rows) {
      this.rowsQuarantined = rows;
      return this;
    }

    public Builder watermarkBefore(String watermark) {
      this.watermarkBefore = watermark;
      return this;
    }

    public Builder watermarkAfter(String watermark) {
      this.watermarkAfter = watermark;
      return this;
    }

    public Builder error(String error) {
      this.error = error;
      return this;
    }

    public Builder details(Map<String, Object> details) {
      this.details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
      return this;
    }

    /** Adds one entry to the details set so far. */
    public Builder detail(String key, Object value) {
      Map<String, Object> more = new LinkedHashMap<>(details);
      more.put(key, value);
      this.details = Collections.unmodifiableMap(more);
      return this;
    }

    public RunRecord build() {
      return new RunRecord(this);
    }
  }
}
