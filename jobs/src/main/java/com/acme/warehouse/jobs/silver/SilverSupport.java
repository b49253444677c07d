package com.acme.warehouse.jobs.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.keys.SurrogateKeys;
import com.acme.warehouse.common.quality.QualityGate;
import com.acme.warehouse.common.scd.AppendOnlyInsert;
import com.acme.warehouse.common.scd.ScdColumns;
import com.acme.warehouse.common.scd.ScdSpec;
import com.acme.warehouse.common.silver.DeliveryHistory;
import com.acme.warehouse.common.silver.Quarantine;
import com.acme.warehouse.common.silver.SilverTables;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.bronze.BronzeTables;
import io.delta.tables.DeltaTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * The typing convention of the silver jobs: a typed frame keeps every bronze column as it arrived
 * and adds the typed values as {@code _t_<name>} columns, plus {@code rule}/{@code reason} for the
 * first rule a row breaks. Rejected rows go to quarantine as they arrived; accepted rows keep only
 * the typed values, under their own names.
 */
public final class SilverSupport {
  public static final String TYPED = "_t_";

  /**
   * Where a quarantined row came from, and so its key: the file, the line and the record's checksum
   * (a file re-delivered with other content may have another bad record on the same line; it is
   * kept too, while the same record seen again adds nothing).
   */
  public static final List<String> ORIGIN =
      List.of("_source_file", "_line_number", "_record_sha256");

  private SilverSupport() {}

  /** The typed columns under their own names, plus the named bronze columns kept as they are. */
  public static Dataset<Row> typedColumns(Dataset<Row> typed, String... keep) {
    List<Column> columns = new ArrayList<>();
    for (String name : typed.columns()) {
      if (name.startsWith(TYPED)) {
        columns.add(col(name).as(name.substring(TYPED.length())));
      }
    }
    for (String name : keep) {
      columns.add(col(name));
    }
    return typed.select(columns.toArray(new Column[0]));
  }

  /**
   * The bronze rows a silver job has not consumed yet (ingested after its watermark's {@code
   * ingested} value), persisted; under {@code --full-refresh} its outputs are emptied first and
   * every bronze row is new.
   */
  public static Dataset<Row> newBronzeRows(
      JobContext context, TableId bronze, Watermark before, TableId... outputs) {
    if (context.fullRefresh()) {
      for (TableId output : outputs) {
        SilverTables.reset(context.spark(), context.location(output));
      }
    }
    return BronzeTables.recordsAfter(
            context.spark(), context.location(bronze), before.get("ingested"))
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * Adds a rule to a typed frame: a row that broke no earlier rule and meets {@code broken} gets
   * this rule and reason (the first rule a row breaks is the one reported).
   */
  public static Dataset<Row> withRule(
      Dataset<Row> typed, Column broken, String rule, Column reason) {
    Column applies = col(Quarantine.RULE).isNull().and(broken);
    return typed
        .withColumn(Quarantine.REASON, when(applies, reason).otherwise(col(Quarantine.REASON)))
        .withColumn(Quarantine.RULE, when(applies, lit(rule)).otherwise(col(Quarantine.RULE)));
  }

  /**
   * Appends the rows of a typed batch of records that arrive once each and may be re-delivered:
   * rejected rows are quarantined; of the accepted ones, the first delivery of each {@code id} is
   * appended unless the table already has it, so a re-delivery or a rerun adds nothing. Returns the
   * counters (read = written + quarantined + deduplicated).
   */
  public static JobResult.Builder appendFirstDelivery(
      SparkSession spark,
      Dataset<Row> typed,
      String id,
      Optional<String> partition,
      String target,
      String quarantine,
      String runId) {
    typed = typed.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Dataset<Row> rejected = typed.where(col(Quarantine.RULE).isNotNull());
      long quarantinedNew = quarantine(spark, rejected, quarantine, runId);
      Dataset<Row> first =
          typedColumns(
                  typed.where(col(Quarantine.RULE).isNull()),
                  "_delivery_date",
                  "_source_file",
                  "_line_number",
                  "_ingested_at")
              .withColumn(
                  "_copy",
                  row_number()
                      .over(
                          Window.partitionBy(id)
                              .orderBy(
                                  "_ingested_at",
                                  "_delivery_date",
                                  "_source_file",
                                  "_line_number")))
              .where(col("_copy").equalTo(1))
              .drop("_copy");
      long read = typed.count();
      long rejectedCount = rejected.count();
      long written =
          AppendOnlyInsert.apply(spark, first, target, List.of(id), partition).inserted();
      return JobResult.builder()
          .rowsRead(read)
          .rowsWritten(written)
          .rowsQuarantined(rejectedCount)
          .detail(QualityGate.DEDUPLICATED, read - rejectedCount - written)
          .detail("quarantine_rows_new", quarantinedNew);
    } finally {
      typed.unpersist();
    }
  }

  /**
   * Historises the accepted rows of a source that arrives as full exports: every delivery in one
   * SCD2 merge ({@link DeliveryHistory}); the watermark moves past the bronze rows read and the
   * last delivery applied. Returns the run's result with the counters and what the deliveries did.
   */
  public static JobResult historiseDeliveries(
      JobContext context,
      Dataset<Row> bronze,
      Watermark before,
      Accepted accepted,
      TableId target,
      ScdSpec.Builder history,
      boolean missingMeansDeleted) {
    DeliveryHistory.Outcome outcome =
        DeliveryHistory.apply(
            context.spark(),
            accepted.rows,
            "_delivery_date",
            context.location(target),
            history,
            missingMeansDeleted,
            before.get("delivery").map(LocalDate::parse));
    Watermark after =
        before
            .with("ingested", BronzeTables.watermarkOf(bronze, before.get("ingested")))
            .with("delivery", outcome.last.map(LocalDate::toString));
    return outcome
        .details(accepted.counters())
        .watermarkBefore(before.orNull())
        .watermarkAfter(after.orNull())
        .build();
  }

  /**
   * The SCD2 history of a full export whose rows carry their own effective time: a version per
   * {@code updatedAt}; deletes as {@link DeliveryHistory} finds them.
   */
  public static ScdSpec.Builder fullExport(String key, String updatedAt) {
    return ScdSpec.builder(key).timestamp(updatedAt).deletionVectors(false);
  }

  /** Quarantines rejected rows as they arrived (bronze columns only); returns how many were new. */
  public static long quarantine(
      SparkSession spark, Dataset<Row> rejected, String location, String runId) {
    List<String> bronze = new ArrayList<>();
    for (String name : rejected.columns()) {
      if (!name.startsWith(TYPED)
          && !name.equals(Quarantine.RULE)
          && !name.equals(Quarantine.REASON)) {
        bronze.add(name);
      }
    }
    Dataset<Row> rows =
        Quarantine.rows(
            rejected, ORIGIN, col(Quarantine.RULE), col(Quarantine.REASON), bronze, runId);
    return Quarantine.append(spark, rows, location, ORIGIN);
  }

  /** A typed batch's accepted rows (distinct) and the counts that reconcile it. */
  public static final class Accepted {
    public final Dataset<Row> rows;
    public final long read;
    public final long rejected;
    public final long distinct;
    public final long quarantinedNew;

    private Accepted(
        Dataset<Row> rows, long read, long rejected, long distinct, long quarantinedNew) {
      this.rows = rows;
      this.read = read;
      this.rejected = rejected;
      this.distinct = distinct;
      this.quarantinedNew = quarantinedNew;
    }

    /** Read = written + quarantined + deduplicated, as the run log records it. */
    public JobResult.Builder counters() {
      return JobResult.builder()
          .rowsRead(read)
          .rowsWritten(distinct)
          .rowsQuarantined(rejected)
          .detail(QualityGate.DEDUPLICATED, read - rejected - distinct)
          .detail("quarantine_rows_new", quarantinedNew);
    }
  }

  /**
   * Marks the rows of a typed batch that would rewrite a version of the history in {@code target}
   * (keyed by {@code keys}, a version per {@code updatedAt}): two different rows of a key with the
   * same updated-at in the batch, or a row with an existing version's key and updated-at but other
   * values (a correction without a new updated-at). Which one is true cannot be known, and the SCD2
   * merge refuses them, which stopped the whole job; instead they break the rule {@code
   * conflicting_version} and go to quarantine with the rest of the batch's rejects.
   */
  public static Dataset<Row> withVersionConflicts(
      SparkSession spark, Dataset<Row> typed, List<String> keys, String updatedAt, String target) {
    List<Column> typedKeys = new ArrayList<>();
    for (String key : keys) {
      typedKeys.add(col(TYPED + key));
    }
    Column typedAt = col(TYPED + updatedAt);
    Column version =
        concat(
            lit(String.join(",", keys) + " "),
            concat_ws(",", typedKeys.toArray(new Column[0])),
            lit(" at " + updatedAt + " "),
            typed.schema().apply(TYPED + updatedAt).dataType()
                    instanceof org.apache.spark.sql.types.TimestampType
                ? SurrogateKeys.utcInstant(typedAt)
                : typedAt.cast("string"));
    Column row = typedStruct(typed, List.of(typed.columns()));
    List<Column> versionColumns = new ArrayList<>(typedKeys);
    versionColumns.add(typedAt);
    Column variants =
        size(
            collect_set(when(col(Quarantine.RULE).isNull(), row))
                .over(Window.partitionBy(versionColumns.toArray(new Column[0]))));
    Dataset<Row> marked =
        withRule(
            typed,
            variants.gt(1),
            "conflicting_version",
            concat(version, lit(" has "), variants.cast("string"), lit(" different rows")));
    if (!DeltaTable.isDeltaTable(spark, target)) {
      return marked;
    }
    Row earliest = typed.where(col(Quarantine.RULE).isNull()).agg(min(typedAt)).head();
    if (earliest.isNullAt(0)) {
      return marked;
    }
    // Only versions at or after the batch's earliest time can share one of its versions: the
    // filter lets Delta skip every file of older history, so a new delivery reads next to nothing.
    Dataset<Row> history =
        spark.read().format("delta").load(target).where(col(updatedAt).geq(lit(earliest.get(0))));
    // Compared on the columns both have: a field new in the contract is not a conflict.
    List<String> inHistory = new ArrayList<>();
    for (String name : history.columns()) {
      inHistory.add(TYPED + name);
    }
    List<Column> historyValues = new ArrayList<>();
    for (String name : typed.columns()) {
      if (name.startsWith(TYPED) && inHistory.contains(name)) {
        historyValues.add(col(name.substring(TYPED.length())));
      }
    }
    List<Column> versionOf = new ArrayList<>();
    Column sameVersion = typedAt.equalTo(col("_version_at"));
    for (int i = 0; i < keys.size(); i++) {
      versionOf.add(col(keys.get(i)).as("_version_key_" + i));
      sameVersion = sameVersion.and(typedKeys.get(i).equalTo(col("_version_key_" + i)));
    }
    versionOf.add(col(updatedAt).as("_version_at"));
    versionOf.add(struct(historyValues.toArray(new Column[0])).as("_version_values"));
    Dataset<Row> versions =
        history
            .where(not(col(ScdColumns.defaults().isDeleted())))
            .select(versionOf.toArray(new Column[0]));
    Dataset<Row> joined = marked.join(versions, sameVersion, "left");
    Column sameColumns = typedStruct(typed, inHistory);
    Dataset<Row> checked =
        withRule(
            joined,
            col("_version_values")
                .isNotNull()
                .and(not(col("_version_values").eqNullSafe(sameColumns))),
            "conflicting_version",
            concat(
                version,
                lit(
                    " differs from the version already in silver (a correction needs a new "
                        + updatedAt
                        + ")")));
    return checked.select(
        java.util.Arrays.stream(typed.columns()).map(c -> checked.col(c)).toArray(Column[]::new));
  }

  /** The typed columns among {@code names}, as a struct of their plain names. */
  private static Column typedStruct(Dataset<Row> typed, List<String> names) {
    List<Column> values = new ArrayList<>();
    for (String name : typed.columns()) {
      if (name.startsWith(TYPED) && names.contains(name)) {
        values.add(col(name).as(name.substring(TYPED.length())));
      }
    }
    return struct(values.toArray(new Column[0]));
  }

  /**
   * {@link #accept(SparkSession, Dataset, List, String, String, String...)} for full exports, whose
   * rows keep their {@code _delivery_date}: a row of a file outside any {@code dt=YYYY-MM-DD}
   * folder has no export date to be effective at, nor an export to be compared with, and is
   * quarantined with rule {@code delivery_date_missing} naming the file (never dropped).
   */
  public static Accepted acceptExport(
      SparkSession spark, Dataset<Row> typed, List<String> keys, String quarantine, String runId) {
    return accept(
        spark,
        withDeliveryDate(typed, "a full export is dated by its folder"),
        keys,
        quarantine,
        runId,
        "_delivery_date");
  }

  /**
   * Rows of a file outside any {@code dt=YYYY-MM-DD} folder, for a source whose rows take effect at
   * their delivery date, break the rule {@code delivery_date_missing}; the reason names the file
   * and ends with {@code why}.
   */
  public static Dataset<Row> withDeliveryDate(Dataset<Row> typed, String why) {
    return withRule(
        typed,
        col("_delivery_date").isNull(),
        "delivery_date_missing",
        concat(
            lit("'"),
            col("_source_file"),
            lit("' is not in a dt=YYYY-MM-DD delivery folder: " + why)));
  }

  /**
   * Quarantines the rows of a typed batch that broke a rule and keeps the others' typed values
   * (plus the named bronze columns), exact duplicates collapsed.
   */
  public static Accepted accept(
      SparkSession spark, Dataset<Row> typed, String quarantine, String runId, String... keep) {
    return accept(spark, typed, List.of(), quarantine, runId, keep);
  }

  /**
   * As {@link #accept(SparkSession, Dataset, String, String, String...)}, and a key that one
   * delivery gives different rows (which one is true cannot be known) is quarantined whole with
   * rule {@code conflicting_rows_for_key}, rather than failing the history or picking one.
   */
  public static Accepted accept(
      SparkSession spark,
      Dataset<Row> typed,
      List<String> keys,
      String quarantine,
      String runId,
      String... keep) {
    if (!keys.isEmpty()) {
      List<Column> scope = new ArrayList<>();
      for (String key : keys) {
        scope.add(col(TYPED + key));
      }
      scope.add(col("_delivery_date"));
      Column variants =
          size(
              collect_set(
                      when(
                          col(Quarantine.RULE).isNull(),
                          typedStruct(typed, List.of(typed.columns()))))
                  .over(Window.partitionBy(scope.toArray(new Column[0]))));
      Column conflicting = col(Quarantine.RULE).isNull().and(variants.gt(1));
      typed =
          typed
              .withColumn(
                  Quarantine.REASON,
                  when(
                          conflicting,
                          concat(
                              lit("key " + keys + " = "),
                              concat_ws(",", scope.subList(0, keys.size()).toArray(new Column[0])),
                              lit(" has "),
                              variants.cast("string"),
                              lit(" different rows in the delivery of "),
                              col("_delivery_date").cast("string")))
                      .otherwise(col(Quarantine.REASON)))
              .withColumn(
                  Quarantine.RULE,
                  when(conflicting, lit("conflicting_rows_for_key"))
                      .otherwise(col(Quarantine.RULE)));
    }
    Dataset<Row> rejected = typed.where(col(Quarantine.RULE).isNotNull());
    long quarantinedNew = quarantine(spark, rejected, quarantine, runId);
    Dataset<Row> rows = typedColumns(typed.where(col(Quarantine.RULE).isNull()), keep).distinct();
    return new Accepted(rows, typed.count(), rejected.count(), rows.count(), quarantinedNew);
  }
}
