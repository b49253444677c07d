package com.acme.warehouse.jobs.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.keys.SurrogateKeys;
import com.acme.warehouse.common.scd.ScdColumns;
import com.acme.warehouse.common.silver.Quarantine;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * The typing convention of the silver jobs: a typed frame keeps every bronze column as it arrived
 * and adds the typed values as {@code _t_<name>} columns, plus {@code rule}/{@code reason} for the
 * first rule a row breaks. The rules beyond a field's own contract (a missing delivery date, a
 * version that rewrites history) are added here; {@link Acceptance} then keeps or quarantines.
 */
public final class TypedRows {
  public static final String TYPED = "_t_";

  private TypedRows() {}

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

  /** The typed columns among {@code names}, as a struct of their plain names. */
  static Column typedStruct(Dataset<Row> typed, List<String> names) {
    List<Column> values = new ArrayList<>();
    for (String name : typed.columns()) {
      if (name.startsWith(TYPED) && names.contains(name)) {
        values.add(col(name).as(name.substring(TYPED.length())));
      }
    }
    return struct(values.toArray(new Column[0]));
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
   * Marks the rows of a typed batch that would rewrite a version of the history in {@code target}
   * (keyed by {@code keys}, a version per {@code updatedAt}): two different rows of a key with the
   * same updated-at in the batch, or a row with an existing version's key and updated-at but other
   * values (a correction without a new updated-at). Which one is true cannot be known, and the SCD2
   * merge refuses them, which stopped the whole job; instead they break the rule {@code
   * conflicting_version} and go to quarantine with the rest of the batch's rejects.
   */
  public static Dataset<Row> withVersionConflicts(
      SparkSession spark, Dataset<Row> typed, List<String> keys, String updatedAt, String target) {
    Column version = versionName(typed, keys, updatedAt);
    Dataset<Row> marked = withBatchConflicts(typed, keys, updatedAt, version);
    if (!DeltaTable.isDeltaTable(spark, target)) {
      return marked;
    }
    Column typedAt = col(TYPED + updatedAt);
    Row earliest = typed.where(col(Quarantine.RULE).isNull()).agg(min(typedAt)).head();
    if (earliest.isNullAt(0)) {
      return marked;
    }
    // Only versions at or after the batch's earliest time can share one of its versions: the
    // filter lets Delta skip every file of older history, so a new delivery reads next to nothing.
    Dataset<Row> history =
        spark.read().format("delta").load(target).where(col(updatedAt).geq(lit(earliest.get(0))));
    return withHistoryConflicts(typed, marked, history, keys, updatedAt, version);
  }

  private static List<Column> typedKeys(List<String> keys) {
    List<Column> typedKeys = new ArrayList<>();
    for (String key : keys) {
      typedKeys.add(col(TYPED + key));
    }
    return typedKeys;
  }

  /** How a reason names a version: {@code o_orderkey 7 at updated_at 2024-...Z}. */
  private static Column versionName(Dataset<Row> typed, List<String> keys, String updatedAt) {
    Column typedAt = col(TYPED + updatedAt);
    return concat(
        lit(String.join(",", keys) + " "),
        concat_ws(",", typedKeys(keys).toArray(new Column[0])),
        lit(" at " + updatedAt + " "),
        typed.schema().apply(TYPED + updatedAt).dataType()
                instanceof org.apache.spark.sql.types.TimestampType
            ? SurrogateKeys.utcInstant(typedAt)
            : typedAt.cast("string"));
  }

  /** Two different accepted rows of one key with the same updated-at in the batch. */
  private static Dataset<Row> withBatchConflicts(
      Dataset<Row> typed, List<String> keys, String updatedAt, Column version) {
    Column row = typedStruct(typed, List.of(typed.columns()));
    List<Column> versionColumns = typedKeys(keys);
    versionColumns.add(col(TYPED + updatedAt));
    Column variants =
        size(
            collect_set(when(col(Quarantine.RULE).isNull(), row))
                .over(Window.partitionBy(versionColumns.toArray(new Column[0]))));
    return withRule(
        typed,
        variants.gt(1),
        "conflicting_version",
        concat(version, lit(" has "), variants.cast("string"), lit(" different rows")));
  }

  /**
   * A row with the key and updated-at of a live version in {@code history} but other values,
   * compared on the columns both have (a field new in the contract is not a conflict).
   */
  private static Dataset<Row> withHistoryConflicts(
      Dataset<Row> typed,
      Dataset<Row> marked,
      Dataset<Row> history,
      List<String> keys,
      String updatedAt,
      Column version) {
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
    List<Column> typedKeys = typedKeys(keys);
    List<Column> versionOf = new ArrayList<>();
    Column sameVersion = col(TYPED + updatedAt).equalTo(col("_version_at"));
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
}
