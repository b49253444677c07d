package com.acme.warehouse.common.scd;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.keys.SurrogateKeys;
import com.acme.warehouse.common.spark.ScalaSeqs;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.storage.StorageLevel;

/**
 * SCD Type 2 on Delta: merges a batch of source rows into a history table in one atomic MERGE.
 *
 * <p>How a batch becomes history, for the keys it touches only:
 *
 * <ol>
 *   <li>The batch becomes candidate versions: exact duplicates collapse; two different rows of one
 *       key with the same effective time are refused ({@link ScdConflictException}), as are rows
 *       without a key or an effective time. In a full extract, a live key that is missing becomes a
 *       delete at the batch's effective time (per the hard-delete policy).
 *   <li>The candidates join the key's existing versions and are ordered by effective time. A
 *       candidate equal to an existing version is dropped (re-running a batch changes nothing); for
 *       the check strategy so is one equal to the version just before it (an unchanged row). A late
 *       row lands between the versions around it, wherever that is.
 *   <li>With the check strategy, an existing version equal to a late row just before it is removed:
 *       the history is the same whatever order rows arrive in.
 *   <li>Intervals are recomputed (each {@code valid_to} is the next version's {@code valid_from};
 *       the last is open and current), and only what changed is staged: new versions to insert,
 *       existing versions whose {@code valid_to}/{@code is_current} moved.
 *   <li>One MERGE applies both, matching on the version key and bounded to the batch's key range so
 *       Delta can skip files. Nothing staged, nothing committed.
 * </ol>
 */
public final class Scd2Merge {
  private static final String ORIGIN = "_scd_origin";
  private static final String FROM_TARGET = "t";
  private static final String FROM_BATCH = "b";
  private static final String CONFLICT = "x";
  private static final String REDUNDANT = "r";
  private static final String CONFLICTING = "_scd_conflicting";
  private static final String CLOSE_ONLY = "_scd_close_only";
  private static final String MERGE_KEY = "_scd_merge_key";
  private static final String OLD_VALID_TO = "_scd_old_valid_to";
  private static final String OLD_CURRENT = "_scd_old_current";
  private static final String NEW_VALID_TO = "_scd_new_valid_to";
  private static final String ATTRS = "_scd_attrs";
  private static final String CHECK = "_scd_check";

  private Scd2Merge() {}

  public static ScdResult apply(
      SparkSession spark, Dataset<Row> batch, String target, ScdSpec spec) {
    Shape shape = Shape.of(batch.schema(), spec, target);
    Dataset<Row> candidates =
        candidates(batch, shape, spec).persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> existing = null;
    Dataset<Row> staged = null;
    try {
      long rowsIn = refuseInvalid(candidates, shape, target);
      MergeTarget.ensureTarget(
          spark,
          target,
          shape.targetSchema(candidates),
          List.of(),
          spec.deletionVectors(),
          spec.changeDataFeed());
      Dataset<Row> existingTable = spark.read().format("delta").load(target);
      long deletes = 0;
      if (spec.fullExtract() && spec.hardDeletes() != ScdSpec.HardDeletes.IGNORE) {
        Dataset<Row> gone = missingFromExtract(existingTable, candidates, shape, spec);
        deletes = gone.count();
        candidates = candidates.unionByName(gone);
      }
      Dataset<Row> touchedKeys = candidates.select(MergeBatch.cols(shape.keys)).distinct();
      Column range = MergeTarget.keyRange(touchedKeys, shape.keys.get(0), "t");
      existing =
          existingTable
              .as("t")
              .where(range)
              .join(touchedKeys, ScalaSeqs.of(shape.keys), "left_semi")
              .persist(StorageLevel.MEMORY_AND_DISK());
      Dataset<Row> ordered = againstHistory(existing, candidates, shape);
      Dataset<Row> redundant = null;
      if (spec.strategy() == ScdSpec.Strategy.CHECK) {
        ordered = markUnchanged(ordered, shape);
        redundant = redundantVersions(ordered, shape);
        ordered = withoutUnchanged(ordered, shape);
      }
      Dataset<Row> changes = intervals(ordered, shape);
      if (redundant != null) {
        changes = changes.unionByName(redundant.select(MergeBatch.cols(shape.staged())));
      }
      staged = changes.persist(StorageLevel.MEMORY_AND_DISK());
      return stageAndMerge(spark, target, staged, shape, range, rowsIn, deletes, spec);
    } finally {
      if (staged != null) {
        staged.unpersist();
      }
      if (existing != null) {
        existing.unpersist();
      }
      candidates.unpersist();
    }
  }

  /**
   * The batch's columns in their roles: keys, the delete marker and effective-time column (if any),
   * the attributes, the columns whose change makes a new version, and the metadata columns.
   */
  private static final class Shape {
    final ScdColumns meta;
    final List<String> keys;
    final String marker;
    final String effectiveColumn;
    final List<String> attrs;
    final List<String> check;

    /** Keys then attributes: the data columns of a version. */
    final List<String> data;

    private Shape(
        ScdColumns meta,
        List<String> keys,
        String marker,
        String effectiveColumn,
        List<String> attrs,
        List<String> check) {
      this.meta = meta;
      this.keys = keys;
      this.marker = marker;
      this.effectiveColumn = effectiveColumn;
      this.attrs = attrs;
      this.check = check;
      this.data = new ArrayList<>(keys);
      this.data.addAll(attrs);
    }

    static Shape of(StructType batchSchema, ScdSpec spec, String target) {
      ScdColumns meta = spec.columns();
      List<String> keys = spec.keys();
      MergeBatch.requireColumns(batchSchema, keys, "key columns", target);
      spec.updatedAt()
          .ifPresent(
              u -> MergeBatch.requireColumns(batchSchema, List.of(u), "updated-at column", target));
      for (String name : meta.all()) {
        if (List.of(batchSchema.fieldNames()).contains(name)) {
          throw new IllegalArgumentException(
              target + ": the batch already has the metadata column '" + name + "'");
        }
      }
      String marker = spec.deleteMarker().orElse(null);
      if (marker != null) {
        MergeBatch.requireColumns(batchSchema, List.of(marker), "delete marker", target);
      }
      String effectiveColumn = spec.effectiveTimeColumn().orElse(null);
      if (effectiveColumn != null) {
        MergeBatch.requireColumns(
            batchSchema, List.of(effectiveColumn), "effective-time column", target);
      }
      List<String> attrs = new ArrayList<>();
      for (String name : batchSchema.fieldNames()) {
        if (!keys.contains(name) && !name.equals(marker) && !name.equals(effectiveColumn)) {
          attrs.add(name);
        }
      }
      // By default a change is any attribute but the row's own time.
      List<String> check = new ArrayList<>(attrs);
      spec.updatedAt().ifPresent(check::remove);
      check = spec.checkColumns().orElse(check);
      MergeBatch.requireColumns(batchSchema, check, "check columns", target);
      return new Shape(meta, keys, marker, effectiveColumn, attrs, check);
    }

    List<String> keysAndValidFrom() {
      return withValidFrom(keys, meta);
    }

    StructType targetSchema(Dataset<Row> candidates) {
      return candidates
          .select(MergeBatch.cols(data))
          .schema()
          .add(meta.validFrom(), DataTypes.TimestampType)
          .add(meta.validTo(), DataTypes.TimestampType)
          .add(meta.isCurrent(), DataTypes.BooleanType)
          .add(meta.isDeleted(), DataTypes.BooleanType)
          .add(meta.versionKey(), DataTypes.StringType);
    }

    /** The columns of a staged change: a version, the version key it matches, and its action. */
    List<String> staged() {
      List<String> out = new ArrayList<>(data);
      out.addAll(
          List.of(
              meta.validFrom(),
              meta.validTo(),
              meta.isCurrent(),
              meta.isDeleted(),
              meta.versionKey()));
      out.add(MERGE_KEY);
      out.add(ORIGIN);
      return out;
    }

    /** A key's versions in time order; a close-only row before a version starting with it. */
    WindowSpec byKey() {
      return Window.partitionBy(MergeBatch.cols(keys))
          .orderBy(col(meta.validFrom()), col(CLOSE_ONLY).desc());
    }
  }

  /** Stage 1: the batch as candidate versions (exact duplicates collapsed). */
  private static Dataset<Row> candidates(Dataset<Row> batch, Shape shape, ScdSpec spec) {
    ScdColumns meta = shape.meta;
    String marker = shape.marker;
    return batch
        .withColumn(meta.validFrom(), effectiveTime(batch.schema(), spec))
        .withColumn(
            meta.isDeleted(), marker == null ? lit(false) : coalesce(col(marker), lit(false)))
        .drop(marker == null ? new String[0] : new String[] {marker})
        .drop(shape.effectiveColumn == null ? new String[0] : new String[] {shape.effectiveColumn})
        .withColumn(CLOSE_ONLY, lit(false))
        .dropDuplicates();
  }

  /**
   * Refuses candidates without a key or an effective time, and two different rows of one key with
   * the same effective time; returns how many rows the batch held. One pass for every check;
   * samples are fetched only when one fails.
   */
  private static long refuseInvalid(Dataset<Row> candidates, Shape shape, String target) {
    List<String> keys = shape.keys;
    Dataset<Row> perVersion = candidates.groupBy(MergeBatch.cols(shape.keysAndValidFrom())).count();
    Row checks =
        perVersion
            .agg(
                sum(col("count")),
                sum(when(anyNull(keys), 1).otherwise(0)),
                sum(when(col(shape.meta.validFrom()).isNull(), 1).otherwise(0)),
                sum(when(col("count").gt(1), 1).otherwise(0)))
            .head();
    if (!checks.isNullAt(1) && checks.getLong(1) > 0) {
      refuse(candidates.where(anyNull(keys)), "rows without a business key", keys, target);
    }
    if (!checks.isNullAt(2) && checks.getLong(2) > 0) {
      refuse(
          candidates.where(col(shape.meta.validFrom()).isNull()),
          "rows without an effective time",
          keys,
          target);
    }
    if (!checks.isNullAt(3) && checks.getLong(3) > 0) {
      refuse(
          perVersion.where(col("count").gt(1)),
          "different rows for one key with the same effective time",
          shape.keysAndValidFrom(),
          target);
    }
    return checks.isNullAt(0) ? 0 : checks.getLong(0);
  }

  /**
   * Stage 1, full extracts: a live key the extract no longer holds becomes a delete at the batch's
   * effective time (close-only under the invalidate policy).
   */
  private static Dataset<Row> missingFromExtract(
      Dataset<Row> existingTable, Dataset<Row> candidates, Shape shape, ScdSpec spec) {
    ScdColumns meta = shape.meta;
    Timestamp at = Timestamp.from(spec.effectiveTime().orElseThrow());
    return existingTable
        .where(col(meta.isCurrent()).and(not(col(meta.isDeleted()))))
        .where(col(meta.validFrom()).lt(lit(at)))
        .join(
            candidates.select(MergeBatch.cols(shape.keys)).distinct(),
            ScalaSeqs.of(shape.keys),
            "left_anti")
        .select(MergeBatch.cols(shape.data))
        .withColumn(meta.validFrom(), lit(at))
        .withColumn(meta.isDeleted(), lit(true))
        .withColumn(CLOSE_ONLY, lit(spec.hardDeletes() == ScdSpec.HardDeletes.INVALIDATE));
  }

  /**
   * Stage 2: the candidates among the existing versions of their keys. A candidate equal to an
   * existing version (same key, time, values, flag) is dropped; two versions of a key starting at
   * the same time are flagged as a conflict (a batch row rewriting an existing version).
   */
  private static Dataset<Row> againstHistory(
      Dataset<Row> existing, Dataset<Row> candidates, Shape shape) {
    ScdColumns meta = shape.meta;
    // A version closed without a successor starting where it ends was closed by a delete
    // (invalidate): keep that closing as a close-only row, so recomputing intervals keeps the gap.
    Column nextStart =
        lead(col(meta.validFrom()), 1)
            .over(Window.partitionBy(MergeBatch.cols(shape.keys)).orderBy(col(meta.validFrom())));
    Dataset<Row> history =
        existing
            .withColumn("_scd_next", nextStart)
            .withColumn(ORIGIN, lit(FROM_TARGET))
            .withColumn(CLOSE_ONLY, lit(false))
            .withColumnRenamed(meta.validTo(), OLD_VALID_TO)
            .withColumnRenamed(meta.isCurrent(), OLD_CURRENT);
    Dataset<Row> closings =
        history
            .where(
                col(OLD_VALID_TO)
                    .isNotNull()
                    .and(not(col("_scd_next").eqNullSafe(col(OLD_VALID_TO)))))
            .withColumn(meta.validFrom(), col(OLD_VALID_TO))
            .withColumn(CLOSE_ONLY, lit(true))
            .withColumn(OLD_VALID_TO, lit(null).cast("timestamp"))
            .withColumn(OLD_CURRENT, lit(null).cast("boolean"))
            .withColumn(meta.versionKey(), lit(null).cast("string"));
    history = history.unionByName(closings).drop("_scd_next");
    Dataset<Row> fromBatch =
        candidates
            .withColumn(ORIGIN, lit(FROM_BATCH))
            .withColumn(OLD_VALID_TO, lit(null).cast("timestamp"))
            .withColumn(OLD_CURRENT, lit(null).cast("boolean"))
            .withColumn(meta.versionKey(), lit(null).cast("string"));
    Dataset<Row> all = history.unionByName(fromBatch);
    if (shape.marker != null) {
      all = inheritAttributes(all, shape.keys, shape.attrs, meta);
    }
    all =
        all.withColumn(ATTRS, struct(MergeBatch.cols(shape.attrs)))
            .withColumn(CHECK, struct(MergeBatch.cols(shape.check)));

    List<Column> sameVersion = new ArrayList<>();
    for (String k : shape.keys) {
      sameVersion.add(col(k));
    }
    sameVersion.add(col(meta.validFrom()));
    sameVersion.add(col(ATTRS));
    sameVersion.add(col(meta.isDeleted()));
    sameVersion.add(col(CLOSE_ONLY));
    Dataset<Row> distinctVersions =
        all.withColumn(
                "_scd_rank",
                row_number()
                    .over(
                        Window.partitionBy(sameVersion.toArray(new Column[0]))
                            .orderBy(col(ORIGIN).desc())))
            .where(col("_scd_rank").equalTo(1))
            .drop("_scd_rank");
    return distinctVersions.withColumn(
        CONFLICTING,
        sum(when(col(CLOSE_ONLY), 0).otherwise(1))
            .over(Window.partitionBy(MergeBatch.cols(shape.keysAndValidFrom())))
            .gt(1)
            .and(not(col(CLOSE_ONLY))));
  }

  /**
   * Stage 3, check strategy: marks each row equal (NULL-safe, on the check columns and the delete
   * flag) to the version before it.
   */
  private static Dataset<Row> markUnchanged(Dataset<Row> ordered, Shape shape) {
    WindowSpec byKey = shape.byKey();
    Column unchanged =
        lag(col(CHECK), 1)
            .over(byKey)
            .eqNullSafe(col(CHECK))
            .and(
                lag(col(shape.meta.isDeleted()), 1)
                    .over(byKey)
                    .equalTo(col(shape.meta.isDeleted())))
            .and(not(lag(col(CLOSE_ONLY), 1).over(byKey)));
    return ordered
        .withColumn("_scd_unchanged", coalesce(unchanged, lit(false)))
        .where(
            not(
                col(ORIGIN)
                    .equalTo(FROM_BATCH)
                    .and(not(col(CLOSE_ONLY)))
                    .and(not(col(CONFLICTING)))
                    .and(col("_scd_unchanged"))));
  }

  /**
   * An existing version equal to a late row just before it is no change any more: it is deleted, so
   * the history is what it would be had the rows arrived in order.
   */
  private static Column redundantVersion() {
    return col(ORIGIN).equalTo(FROM_TARGET).and(not(col(CLOSE_ONLY))).and(col("_scd_unchanged"));
  }

  private static Dataset<Row> redundantVersions(Dataset<Row> marked, Shape shape) {
    return marked
        .where(redundantVersion())
        .withColumn(ORIGIN, lit(REDUNDANT))
        .withColumn(MERGE_KEY, col(shape.meta.versionKey()))
        .withColumn(shape.meta.validTo(), col(OLD_VALID_TO))
        .withColumn(shape.meta.isCurrent(), col(OLD_CURRENT));
  }

  private static Dataset<Row> withoutUnchanged(Dataset<Row> marked, Shape shape) {
    return marked.where(not(redundantVersion())).drop("_scd_unchanged");
  }

  /**
   * Stage 4: intervals recomputed (each {@code valid_to} is the next version's {@code valid_from};
   * the last is open and current), and one action per row that changed: insert a batch version,
   * move an existing version's end, or refuse a conflict.
   */
  private static Dataset<Row> intervals(Dataset<Row> ordered, Shape shape) {
    ScdColumns meta = shape.meta;
    Dataset<Row> recomputed =
        ordered
            .withColumn(NEW_VALID_TO, lead(col(meta.validFrom()), 1).over(shape.byKey()))
            .where(not(col(CLOSE_ONLY)))
            .withColumn(meta.validTo(), col(NEW_VALID_TO))
            .withColumn(meta.isCurrent(), col(NEW_VALID_TO).isNull());
    Column moved =
        not(col(meta.validTo()).eqNullSafe(col(OLD_VALID_TO)))
            .or(not(col(meta.isCurrent()).eqNullSafe(col(OLD_CURRENT))));
    Column action =
        when(col(CONFLICTING), lit(CONFLICT))
            .when(col(ORIGIN).equalTo(FROM_BATCH), lit(FROM_BATCH))
            .when(moved, lit(FROM_TARGET));
    Dataset<Row> decided =
        recomputed
            .withColumn(ORIGIN, action)
            .where(col(ORIGIN).isNotNull())
            .withColumn(MERGE_KEY, when(col(ORIGIN).equalTo(FROM_TARGET), col(meta.versionKey())));
    decided =
        decided.withColumn(
            meta.versionKey(),
            when(
                    col(ORIGIN).equalTo(FROM_BATCH),
                    SurrogateKeys.key(
                        decided.schema(), shape.keysAndValidFrom().toArray(new String[0])))
                .otherwise(col(meta.versionKey())));
    return decided.select(MergeBatch.cols(shape.staged()));
  }

  /**
   * Stage 5: refuses the batch if a row rewrites an existing version, else applies the staged
   * inserts, moved ends and redundant deletes in one MERGE bounded to the batch's key range.
   */
  private static ScdResult stageAndMerge(
      SparkSession spark,
      String target,
      Dataset<Row> staged,
      Shape shape,
      Column range,
      long rowsIn,
      long deletes,
      ScdSpec spec) {
    Row counts =
        staged
            .agg(
                sum(when(col(ORIGIN).equalTo(FROM_BATCH), 1).otherwise(0)),
                sum(when(col(ORIGIN).equalTo(FROM_TARGET), 1).otherwise(0)),
                sum(when(col(ORIGIN).equalTo(CONFLICT), 1).otherwise(0)),
                sum(when(col(ORIGIN).equalTo(REDUNDANT), 1).otherwise(0)))
            .head();
    if (!counts.isNullAt(2) && counts.getLong(2) > 0) {
      refuse(
          staged.where(col(ORIGIN).equalTo(CONFLICT)),
          "rows that differ from an existing version with the same effective time",
          shape.keysAndValidFrom(),
          target);
    }
    long inserted = counts.isNullAt(0) ? 0 : counts.getLong(0);
    long updated =
        (counts.isNullAt(1) ? 0 : counts.getLong(1)) + (counts.isNullAt(3) ? 0 : counts.getLong(3));
    if (inserted + updated > 0) {
      merge(
          spark,
          target,
          staged.where(not(col(ORIGIN).equalTo(CONFLICT))),
          shape.meta,
          shape.staged(),
          range);
    }
    long unchanged =
        Math.max(
            0,
            rowsIn
                - (inserted
                    - (spec.hardDeletes() == ScdSpec.HardDeletes.NEW_RECORD ? deletes : 0)));
    return new ScdResult(rowsIn, inserted, updated, deletes, unchanged);
  }

  private static void merge(
      SparkSession spark,
      String target,
      Dataset<Row> staged,
      ScdColumns meta,
      List<String> out,
      Column range) {
    Map<String, String> update = new LinkedHashMap<>();
    update.put(meta.validTo(), "s." + meta.validTo());
    update.put(meta.isCurrent(), "s." + meta.isCurrent());
    Map<String, Column> insert = new LinkedHashMap<>();
    for (String name : out) {
      if (!name.equals(MERGE_KEY) && !name.equals(ORIGIN)) {
        insert.put(name, col("s." + name));
      }
    }
    Map<String, Column> updateColumns = new LinkedHashMap<>();
    update.forEach((k, v) -> updateColumns.put(k, col(v)));
    DeltaTable.forPath(spark, target)
        .as("t")
        .merge(
            staged.as("s"), col("t." + meta.versionKey()).equalTo(col("s." + MERGE_KEY)).and(range))
        .whenMatched(col("s." + ORIGIN).equalTo(REDUNDANT))
        .delete()
        .whenMatched()
        .update(updateColumns)
        .whenNotMatched()
        .insert(insert)
        .execute();
  }

  /**
   * The row's effective time as a UTC instant: its effective-time column where set, else its
   * updated-at or the batch's.
   */
  private static Column effectiveTime(StructType schema, ScdSpec spec) {
    Column own =
        spec.updatedAt()
            .map(name -> instant(schema, name, "updated-at"))
            .orElse(spec.effectiveTime().map(at -> lit(Timestamp.from(at))).orElse(null));
    return spec.effectiveTimeColumn()
        .map(name -> instant(schema, name, "effective-time"))
        .map(column -> own == null ? column : coalesce(column, own))
        .orElse(own);
  }

  /** A TIMESTAMP column as it is, a DATE column as the instant its day starts in UTC. */
  private static Column instant(StructType schema, String name, String role) {
    DataType type = schema.apply(name).dataType();
    if (type instanceof TimestampType) {
      return col(name);
    }
    if (type instanceof DateType) {
      return org.apache.spark.sql.functions.timestamp_seconds(
          org.apache.spark.sql.functions.unix_date(col(name)).cast("long").multiply(86_400L));
    }
    throw new IllegalArgumentException(
        role + " column '" + name + "' must be a TIMESTAMP or DATE, not " + type.simpleString());
  }

  private static List<String> withValidFrom(List<String> keys, ScdColumns meta) {
    List<String> columns = new ArrayList<>(keys);
    columns.add(meta.validFrom());
    return columns;
  }

  private static Column anyNull(List<String> keys) {
    Column any = lit(false);
    for (String key : keys) {
      any = any.or(col(key).isNull());
    }
    return any;
  }

  private static void refuse(
      Dataset<Row> offending, String rule, List<String> columns, String target) {
    if (!offending.isEmpty()) {
      throw new ScdConflictException(
          target
              + ": "
              + rule
              + " ("
              + offending.count()
              + "), e.g. "
              + MergeBatch.sample(offending, columns));
    }
  }

  /** A marked delete's NULL attributes take the values of the version before it. */
  private static Dataset<Row> inheritAttributes(
      Dataset<Row> all, List<String> keys, List<String> attrs, ScdColumns meta) {
    WindowSpec before =
        Window.partitionBy(MergeBatch.cols(keys))
            .orderBy(col(meta.validFrom()), col(CLOSE_ONLY).desc())
            .rowsBetween(Window.unboundedPreceding(), -1);
    Column markedDelete = col(ORIGIN).equalTo(FROM_BATCH).and(col(meta.isDeleted()));
    for (String a : attrs) {
      all =
          all.withColumn(
              a,
              when(markedDelete, coalesce(col(a), last(col(a), true).over(before)))
                  .otherwise(col(a)));
    }
    return all;
  }
}
