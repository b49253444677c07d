package com.acme.warehouse.common.gold;

import static org.apache.spark.sql.functions.col;

import com.acme.warehouse.common.config.InvalidConfigException;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.silver.ScopedReplace;
import com.acme.warehouse.common.silver.Watermark;
import com.typesafe.config.Config;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * What a gold job has to recompute since its last successful run. Its watermark keeps the Delta
 * version of every input it read; the net changes between those versions and now (Delta's change
 * data feed) name the keys to recompute. Whenever that cannot be answered — first run, {@code
 * --full-refresh}, an output missing, an input without a feed for the range — the job rebuilds
 * whole: slower, never wrong. It also rebuilds whole when its inputs are small ({@code
 * gold.incremental-min-input-rows}): reading change feeds and merging in place costs more Spark
 * jobs than rewriting a small table.
 */
public final class Increment {
  static final String MAX_FRACTION_KEY = "gold.incremental-max-fraction";
  static final String MIN_INPUT_ROWS_KEY = "gold.incremental-min-input-rows";
  private static final double DEFAULT_MAX_FRACTION = 0.1;

  private final JobContext context;
  private final Watermark before;
  private final Watermark now;
  private final Optional<String> smallInputs;
  private final boolean whole;

  private Increment(
      JobContext context,
      Watermark before,
      Watermark now,
      Optional<String> smallInputs,
      boolean whole) {
    this.context = context;
    this.before = before;
    this.now = now;
    this.smallInputs = smallInputs;
    this.whole = whole || smallInputs.isPresent();
  }

  /**
   * The inputs' versions now against those of the last run; whole if any output is missing or the
   * inputs hold fewer rows than {@code gold.incremental-min-input-rows}.
   */
  public static Increment of(JobContext context, List<TableId> inputs, List<TableId> outputs) {
    Watermark before = Watermark.parse(context.previousWatermark());
    Watermark now = Watermark.parse(Optional.empty());
    for (TableId input : inputs) {
      now = now.with(input.name(), Optional.of(Long.toString(version(context, input))));
    }
    boolean whole = before.isEmpty();
    for (TableId input : inputs) {
      whole |= before.get(input.name()).isEmpty();
    }
    for (TableId output : outputs) {
      whole |= version(context, output) < 0;
    }
    Optional<String> smallInputs = whole ? Optional.empty() : smallInputs(context, inputs);
    return new Increment(context, before, now, smallInputs, whole);
  }

  /**
   * Why the inputs are too small to recompute in part, when they are: their rows (a count Delta
   * answers from the file statistics in its log where it can) against the configured minimum.
   */
  private static Optional<String> smallInputs(JobContext context, List<TableId> inputs) {
    long minimum = minInputRows(context);
    if (minimum <= 0) {
      return Optional.empty();
    }
    long rows = 0;
    for (TableId input : inputs) {
      rows += context.read(input).count();
      if (rows >= minimum) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "inputs hold " + rows + " rows, fewer than " + MIN_INPUT_ROWS_KEY + " = " + minimum);
  }

  /** Nothing can be recomputed in part: rebuild every output. */
  public boolean whole() {
    return whole;
  }

  /** Whether {@code input} is at another version than the last run read (always when whole). */
  public boolean moved(TableId input) {
    return whole || !before.get(input.name()).equals(now.get(input.name()));
  }

  /**
   * A run's result builder carrying this increment's watermarks, and why the run rebuilds whole
   * when it is because its inputs are small.
   */
  public JobResult.Builder result() {
    JobResult.Builder result =
        JobResult.builder().watermarkBefore(before.orNull()).watermarkAfter(now.toString());
    smallInputs.ifPresent(reason -> result.detail("rebuilt_because", reason));
    return result;
  }

  /**
   * The distinct values of {@code columns} (under the same names) in the rows of {@code input}
   * whose content changed since the last run; empty when the job must rebuild whole.
   */
  public Optional<Dataset<Row>> changedKeys(TableId input, String... columns) {
    return changedRows(input)
        .map(
            changes ->
                changes
                    .select(Arrays.stream(columns).map(c -> col(c)).toArray(Column[]::new))
                    .distinct());
  }

  /**
   * The members of the SCD2 dimension {@code dimension} (business key {@code id}) whose versions
   * changed since the last run, each with the instant from which its facts may be keyed differently
   * ({@link MovedMembers#since}); empty when the job must rebuild whole.
   */
  public Optional<Dataset<Row>> movedMembers(TableId dimension, String id) {
    return changedRows(dimension).map(changes -> MovedMembers.since(changes, id));
  }

  private Optional<Dataset<Row>> changedRows(TableId input) {
    if (whole) {
      return Optional.empty();
    }
    long since = Long.parseLong(before.get(input.name()).orElseThrow());
    long until = Long.parseLong(now.get(input.name()).orElseThrow());
    return ChangeFeed.netChanges(context.spark(), context.location(input), since, until);
  }

  /**
   * The union of several sets of keys to recompute (same columns), distinct; empty (rebuild whole)
   * when any of them is.
   */
  @SafeVarargs
  public static Optional<Dataset<Row>> allOf(Optional<Dataset<Row>>... keys) {
    Dataset<Row> union = null;
    for (Optional<Dataset<Row>> part : keys) {
      if (part.isEmpty()) {
        return Optional.empty();
      }
      union = union == null ? part.get() : union.union(part.get());
    }
    return Optional.ofNullable(union).map(Dataset::distinct);
  }

  /**
   * Brings a fact table keyed by {@code id} up to date: with {@code ids}, recomputes the facts of
   * those ids from their source rows and replaces them in one MERGE ({@link ScopedReplace}: a fact
   * an id no longer yields is removed); without, or when the ids are more than {@code
   * gold.incremental-max-fraction} of the table's rows, rebuilds the table from every source row.
   * The table is laid out by its {@code time} column, so that the facts a run recomputes — mostly
   * recent ones — lie in few files and the MERGE skips the others. Adds what it did to the run's
   * details under the table's name and returns the rows written.
   */
  public long rewrite(
      TableId table,
      String id,
      String time,
      Dataset<Row> source,
      Optional<Dataset<Row>> ids,
      UnaryOperator<Dataset<Row>> facts,
      JobResult.Builder result) {
    return rewrite(
        table, List.of(id), id, time, ids, scope -> facts.apply(scope.rowsOf(source, id)), result);
  }

  /**
   * As above, for a table holding several facts per id (an order's lines: {@code key} identifies a
   * fact, {@code id} the scope it belongs to) computed from several sources: {@code facts} reads
   * each source through the {@link Scope} it is given, which keeps the rows of the ids recomputed
   * (all rows when rebuilding). The share compared with {@code gold.incremental-max-fraction} is
   * that of the ids the table holds.
   */
  public long rewrite(
      TableId table,
      List<String> key,
      String id,
      String time,
      Optional<Dataset<Row>> ids,
      Function<Scope, Dataset<Row>> facts,
      JobResult.Builder result) {
    String location = context.location(table);
    String name = table.name();
    if (ids.isEmpty()) {
      return rebuild(location, name, time, facts, result);
    }
    Dataset<Row> keys = ids.get().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long recompute = keys.count();
      Dataset<Row> heldRows = context.spark().read().format("delta").load(location);
      // One fact per id: Delta counts the rows from its log. Several: the ids must be counted.
      long held =
          key.equals(List.of(id)) ? heldRows.count() : heldRows.select(id).distinct().count();
      if (recompute > maxFraction() * held) {
        // Past this share of the table the recomputed facts lie in most files, and a rebuild is
        // cheaper than a MERGE rewriting them.
        result.detail(name + "_rebuilt_because", recompute + " of " + held + " ids to recompute");
        return rebuild(location, name, time, facts, result);
      }
      Dataset<Row> scopes = keys.toDF("_scope");
      ScopedReplace.Counts counts =
          ScopedReplace.apply(
              context.spark(),
              facts.apply(
                  (rows, column) ->
                      rows.join(scopes, col(column).equalTo(col("_scope")), "left_semi")),
              keys.toDF(id),
              location,
              key,
              List.of(id),
              Optional.of(time));
      result
          .detail(name, counts.upserted)
          .detail(name + "_mode", "incremental")
          .detail(name + "_recomputed", recompute)
          .detail(name + "_removed", counts.deleted);
      return counts.upserted;
    } finally {
      keys.unpersist();
    }
  }

  /** The rows of a source that the facts being recomputed come from. */
  @FunctionalInterface
  public interface Scope {
    /** The rows of {@code rows} whose {@code column} holds an id recomputed. */
    Dataset<Row> rowsOf(Dataset<Row> rows, String column);
  }

  /** Every row: what a rebuild reads. */
  private static final Scope EVERY_ROW = (rows, column) -> rows;

  /** Rebuilds the table from every source row, in time order; returns the rows it holds. */
  private long rebuild(
      String location,
      String name,
      String time,
      Function<Scope, Dataset<Row>> facts,
      JobResult.Builder result) {
    GoldTables.replaceInTimeOrder(facts.apply(EVERY_ROW), location, time);
    long rows = context.spark().read().format("delta").load(location).count();
    result.detail(name, rows).detail(name + "_mode", "full");
    return rows;
  }

  /**
   * {@code gold.incremental-max-fraction}: the share of a table's rows above which recomputing them
   * in place costs more than rebuilding the table.
   */
  private double maxFraction() {
    Config config = context.config().raw();
    double fraction =
        config.hasPath(MAX_FRACTION_KEY)
            ? config.getDouble(MAX_FRACTION_KEY)
            : DEFAULT_MAX_FRACTION;
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new InvalidConfigException(
          MAX_FRACTION_KEY + ": must be a number from 0 to 1, not " + fraction);
    }
    return fraction;
  }

  /**
   * {@code gold.incremental-min-input-rows}: below this many input rows a job rebuilds whole; 0
   * always recomputes in part when it can.
   */
  private static long minInputRows(JobContext context) {
    Config config = context.config().raw();
    long minimum = config.hasPath(MIN_INPUT_ROWS_KEY) ? config.getLong(MIN_INPUT_ROWS_KEY) : 0;
    if (minimum < 0) {
      throw new InvalidConfigException(
          MIN_INPUT_ROWS_KEY + ": must be 0 or more rows, not " + minimum);
    }
    return minimum;
  }

  private static long version(JobContext context, TableId table) {
    return ChangeFeed.version(context.spark(), context.location(table));
  }
}
