package com.acme.warehouse.common.job;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a job run reports to the run log: row counters, the watermark it started from and the one it
 * reached, and free-form details (per-file counts, drift, re-deliveries...) kept as JSON.
 */
public final class JobResult {
  private final long rowsRead;
  private final long rowsWritten;
  private final long rowsQuarantined;
  private final String watermarkBefore;
  private final String watermarkAfter;
  private final Map<String, Object> details;

  private JobResult(Builder b) {
    this.rowsRead = b.rowsRead;
    this.rowsWritten = b.rowsWritten;
    this.rowsQuarantined = b.rowsQuarantined;
    this.watermarkBefore = b.watermarkBefore;
    this.watermarkAfter = b.watermarkAfter;
    this.details = Collections.unmodifiableMap(new LinkedHashMap<>(b.details));
  }

  public static Builder builder() {
    return new Builder();
  }

  public static JobResult empty() {
    return builder().build();
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

  public Map<String, Object> details() {
    return details;
  }

  /** Builds a {@link JobResult}. */
  public static final class Builder {
    private long rowsRead;
    private long rowsWritten;
    private long rowsQuarantined;
    private String watermarkBefore;
    private String watermarkAfter;
    private final Map<String, Object> details = new LinkedHashMap<>();

    private Builder() {}

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

    /**
     * A detail for the run log; values must be JSON-serialisable (numbers, strings, lists, maps).
     */
    public Builder detail(String key, Object value) {
      details.put(key, value);
      return this;
    }

    public JobResult build() {
      return new JobResult(this);
    }
  }
}
