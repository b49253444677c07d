package com.acme.warehouse.common.scd;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to historise one table: its business key, how a change is recognised, how deletes are treated
 * and what the metadata columns are called.
 *
 * <ul>
 *   <li>{@code TIMESTAMP}: every distinct value of the updated-at column is a version, effective
 *       from that value.
 *   <li>{@code CHECK}: a row is a new version when any check column differs (NULL-safe) from the
 *       version before it; effective from the row's updated-at column if one is named, else from
 *       the batch's effective time.
 * </ul>
 *
 * Deletes are only detectable in a full extract: a key whose current version is live but that the
 * extract lacks is, per {@link HardDeletes}, ignored, closed at the batch's effective time, or
 * closed and followed by a deleted-flag version. A delete feed (keys deleted at the source, e.g.
 * TPC-H's {@code delete.N}) is a batch with a {@link Builder#deleteMarker delete marker} column: a
 * marked row becomes a deleted-flag version at its effective time, whether or not the batch is a
 * full extract.
 */
public final class ScdSpec {
  /** How a change is recognised. */
  public enum Strategy {
    TIMESTAMP,
    CHECK
  }

  /** What a key missing from a full extract means. */
  public enum HardDeletes {
    IGNORE,
    INVALIDATE,
    NEW_RECORD
  }

  private final List<String> keys;
  private final Strategy strategy;
  private final String updatedAt;
  private final List<String> checkColumns;
  private final Instant effectiveTime;
  private final HardDeletes hardDeletes;
  private final boolean fullExtract;
  private final ScdColumns columns;
  private final boolean deletionVectors;
  private final String deleteMarker;
  private final boolean changeDataFeed;
  private final String effectiveTimeColumn;

  private ScdSpec(Builder b) {
    this.keys = List.copyOf(b.keys);
    this.strategy = Objects.requireNonNull(b.strategy, "strategy");
    this.updatedAt = b.updatedAt;
    this.checkColumns = b.checkColumns == null ? null : List.copyOf(b.checkColumns);
    this.effectiveTime = b.effectiveTime;
    this.hardDeletes = b.hardDeletes;
    this.fullExtract = b.fullExtract;
    this.columns = b.columns;
    this.deletionVectors = b.deletionVectors;
    this.deleteMarker = b.deleteMarker;
    this.changeDataFeed = b.changeDataFeed;
    this.effectiveTimeColumn = b.effectiveTimeColumn;
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("an SCD needs at least one business key column");
    }
    if (strategy == Strategy.TIMESTAMP && updatedAt == null) {
      throw new IllegalArgumentException("the timestamp strategy needs an updated-at column");
    }
    if (strategy == Strategy.CHECK
        && updatedAt == null
        && effectiveTime == null
        && effectiveTimeColumn == null) {
      throw new IllegalArgumentException(
          "the check strategy needs an updated-at column or the batch's effective time");
    }
    if (hardDeletes != HardDeletes.IGNORE && !fullExtract) {
      throw new IllegalArgumentException(
          "hard deletes can only be detected in a full extract (set full-extract)");
    }
    if (hardDeletes != HardDeletes.IGNORE && effectiveTime == null) {
      throw new IllegalArgumentException(
          "hard deletes need the batch's effective time: when the extract was taken");
    }
  }

  public static Builder builder(String... keys) {
    return new Builder(List.of(keys));
  }

  public static Builder builder(List<String> keys) {
    return new Builder(keys);
  }

  public List<String> keys() {
    return keys;
  }

  public Strategy strategy() {
    return strategy;
  }

  public Optional<String> updatedAt() {
    return Optional.ofNullable(updatedAt);
  }

  /** The columns compared by the check strategy; empty means every non-key column. */
  public Optional<List<String>> checkColumns() {
    return Optional.ofNullable(checkColumns);
  }

  public Optional<Instant> effectiveTime() {
    return Optional.ofNullable(effectiveTime);
  }

  public HardDeletes hardDeletes() {
    return hardDeletes;
  }

  public boolean fullExtract() {
    return fullExtract;
  }

  public ScdColumns columns() {
    return columns;
  }

  /** Whether a new target table gets deletion vectors (default true). */
  public boolean deletionVectors() {
    return deletionVectors;
  }

  public boolean changeDataFeed() {
    return changeDataFeed;
  }

  public Optional<String> deleteMarker() {
    return Optional.ofNullable(deleteMarker);
  }

  public Optional<String> effectiveTimeColumn() {
    return Optional.ofNullable(effectiveTimeColumn);
  }

  /** Builds an {@link ScdSpec}. */
  public static final class Builder {
    private final List<String> keys;
    private Strategy strategy;
    private String updatedAt;
    private List<String> checkColumns;
    private Instant effectiveTime;
    private HardDeletes hardDeletes = HardDeletes.IGNORE;
    private boolean fullExtract;
    private ScdColumns columns = ScdColumns.defaults();
    private boolean deletionVectors = true;
    private String deleteMarker;
    private boolean changeDataFeed = true;
    private String effectiveTimeColumn;

    private Builder(List<String> keys) {
      this.keys = keys;
    }

    /** Timestamp strategy: a version per distinct value of this column. */
    public Builder timestamp(String updatedAtColumn) {
      this.strategy = Strategy.TIMESTAMP;
      this.updatedAt = updatedAtColumn;
      return this;
    }

    /** Check strategy on these columns (none: every non-key column but the updated-at one). */
    public Builder check(String... columns) {
      this.strategy = Strategy.CHECK;
      this.checkColumns = columns.length == 0 ? null : List.of(columns);
      return this;
    }

    /** For the check strategy: each row's effective time (else the batch's). */
    public Builder updatedAt(String column) {
      this.updatedAt = column;
      return this;
    }

    /** When the batch was true at the source (an extract's date); never the wall clock. */
    public Builder effectiveTime(Instant time) {
      this.effectiveTime = time;
      return this;
    }

    public Builder hardDeletes(HardDeletes policy) {
      this.hardDeletes = policy;
      return this;
    }

    public Builder fullExtract(boolean fullExtract) {
      this.fullExtract = fullExtract;
      return this;
    }

    public Builder columns(ScdColumns columns) {
      this.columns = columns;
      return this;
    }

    public Builder deletionVectors(boolean enabled) {
      this.deletionVectors = enabled;
      return this;
    }

    /**
     * A BOOLEAN batch column marking a row as a delete at its effective time. The marked row
     * becomes a deleted-flag version; its NULL attributes take the values of the version before it
     * (a delete feed carries keys only). With the check strategy, deleting a deleted key again adds
     * nothing. The column itself is not stored.
     */
    public Builder deleteMarker(String column) {
      this.deleteMarker = column;
      return this;
    }

    /**
     * Keeps Delta's change data feed on the target (the default), so gold jobs read only what each
     * merge changed; off only for tables no one reads incrementally (benchmarks).
     */
    public Builder changeDataFeed(boolean enabled) {
      this.changeDataFeed = enabled;
      return this;
    }

    /**
     * A TIMESTAMP or DATE (midnight UTC) batch column that, where not NULL, is the row's effective
     * time instead of its updated-at or the batch's time: a batch of several extracts, each true as
     * of its own date. The column itself is not stored.
     */
    public Builder effectiveTimeColumn(String column) {
      this.effectiveTimeColumn = column;
      return this;
    }

    public ScdSpec build() {
      return new ScdSpec(this);
    }
  }
}
