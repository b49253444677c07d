package com.acme.warehouse.common.quality;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.job.TableLocations;
import com.acme.warehouse.common.scd.ScdColumns;
import com.acme.warehouse.common.scd.ScdInvariants;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Evaluates the checks of one table. Every check that looks at rows one at a time (not null,
 * accepted values, range, row count, freshness) is answered by a single aggregation over the table;
 * unique, relationships, SCD invariants, reconciliation and SQL checks need their own pass. A
 * failing check fetches a few offending rows with a second, limited query: samples are small and
 * bounded, never a collect of the table.
 */
public final class QualityRunner {
  /** A parent table with at most this many keys is broadcast into the shared pass. */
  private static final long BROADCAST_KEYS = 2_000_000;

  private static final Pattern TABLE_REFERENCE =
      Pattern.compile("\\{((?:bronze|silver|gold)\\.[a-z0-9_]+\\.[a-z0-9_]+)\\}");

  private final SparkSession spark;
  private final TableLocations tables;
  private final int sampleSize;
  private final Instant now;

  public QualityRunner(SparkSession spark, TableLocations tables, int sampleSize, Instant now) {
    this.spark = spark;
    this.tables = tables;
    this.sampleSize = sampleSize;
    this.now = now;
  }

  /** What a job reported, for reconciliation against its counters. */
  public static final class Counters {
    final long read;
    final long written;
    final long quarantined;
    final long deduplicated;

    public Counters(long read, long written, long quarantined, long deduplicated) {
      this.read = read;
      this.written = written;
      this.quarantined = quarantined;
      this.deduplicated = deduplicated;
    }
  }

  public List<CheckResult> run(TableId table, List<CheckSpec> checks, Counters counters) {
    Dataset<Row> data = spark.read().format("delta").load(tables.of(table));
    // Relationships to small tables join (broadcast) into the one aggregation pass.
    Map<CheckSpec, Dataset<Row>> parentKeys = new LinkedHashMap<>();
    for (CheckSpec check : checks) {
      if (check.type() == CheckSpec.Type.RELATIONSHIPS) {
        Dataset<Row> keys = parentKeys(check);
        if (keys.count() <= BROADCAST_KEYS) {
          parentKeys.put(check, keys);
        }
      }
    }
    List<CheckResult> results = new ArrayList<>(rowLevel(table, data, checks, parentKeys));
    for (CheckSpec check : checks) {
      switch (check.type()) {
        case UNIQUE:
          results.add(unique(table, data, check));
          break;
        case RELATIONSHIPS:
          if (!parentKeys.containsKey(check)) {
            results.add(relationships(table, data, check));
          }
          break;
        case SCD:
          results.add(scd(table, data, check));
          break;
        case SQL:
          results.add(sql(table, data, check));
          break;
        case RECONCILIATION:
          results.add(reconciliation(table, data, check, counters));
          break;
        default:
          break;
      }
    }
    return results;
  }

  /** The checks answered by one aggregation: per check, a count of the rows that break it. */
  private List<CheckResult> rowLevel(
      TableId table,
      Dataset<Row> data,
      List<CheckSpec> checks,
      Map<CheckSpec, Dataset<Row>> parentKeys) {
    List<CheckSpec> shared = new ArrayList<>();
    List<Column> aggregates = new ArrayList<>();
    Map<CheckSpec, Column> orphan = new LinkedHashMap<>();
    int joined = 0;
    for (Map.Entry<CheckSpec, Dataset<Row>> parent : parentKeys.entrySet()) {
      String alias = "_parent_" + joined++;
      String column = parent.getKey().columns().get(0);
      data =
          data.join(
              broadcast(parent.getValue().withColumnRenamed("_parent_key", alias)),
              col(column).equalTo(col(alias)),
              "left");
      orphan.put(parent.getKey(), col(column).isNotNull().and(col(alias).isNull()));
    }
    for (CheckSpec check : checks) {
      Column scope = scope(check);
      switch (check.type()) {
        case RELATIONSHIPS:
          if (orphan.containsKey(check)) {
            aggregates.add(sum(when(scope.and(orphan.get(check)), 1).otherwise(0)));
            aggregates.add(sum(when(scope, 1).otherwise(0)));
            shared.add(check);
          }
          break;
        case NOT_NULL:
        case ACCEPTED_VALUES:
        case RANGE:
          aggregates.add(sum(when(scope.and(violation(check)), 1).otherwise(0)));
          aggregates.add(sum(when(scope, 1).otherwise(0)));
          shared.add(check);
          break;
        case ROW_COUNT:
          aggregates.add(sum(when(scope, 1).otherwise(0)));
          aggregates.add(lit(0L));
          shared.add(check);
          break;
        case FRESHNESS:
          aggregates.add(max(when(scope, col(check.columns().get(0)).cast("timestamp"))));
          aggregates.add(sum(when(scope, 1).otherwise(0)));
          shared.add(check);
          break;
        default:
          break;
      }
    }
    List<CheckResult> results = new ArrayList<>();
    if (shared.isEmpty()) {
      return results;
    }
    Row row =
        data.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]))
            .head();
    for (int i = 0; i < shared.size(); i++) {
      CheckSpec check = shared.get(i);
      long checked = row.isNullAt(2 * i + 1) ? 0 : ((Number) row.get(2 * i + 1)).longValue();
      switch (check.type()) {
        case ROW_COUNT:
          {
            long rows = row.isNullAt(2 * i) ? 0 : ((Number) row.get(2 * i)).longValue();
            boolean ok =
                check.min().map(m -> rows >= m).orElse(true)
                    && check.max().map(m -> rows <= m).orElse(true);
            results.add(
                result(
                    table,
                    check,
                    ok,
                    ok ? 0 : 1,
                    rows,
                    rows + " rows, expected " + bounds(check),
                    List.of(),
                    (double) rows));
            break;
          }
        case FRESHNESS:
          {
            Timestamp newest = row.isNullAt(2 * i) ? null : row.getTimestamp(2 * i);
            Duration age = newest == null ? null : Duration.between(newest.toInstant(), now);
            boolean ok = age != null && age.compareTo(check.maxAge()) <= 0;
            String detail =
                newest == null
                    ? "no rows with a " + check.columns().get(0)
                    : "newest "
                        + check.columns().get(0)
                        + " "
                        + newest.toInstant()
                        + " is "
                        + human(age)
                        + " old, at most "
                        + human(check.maxAge());
            results.add(result(table, check, ok, ok ? 0 : 1, checked, detail, List.of(), null));
            break;
          }
        case RELATIONSHIPS:
          {
            long offending = row.isNullAt(2 * i) ? 0 : ((Number) row.get(2 * i)).longValue();
            List<String> sample =
                offending == 0
                    ? List.of()
                    : sample(
                        data.where(scope(check).and(orphan.get(check))).select(rawColumns(data)));
            results.add(relationshipResult(table, check, offending, sample));
            break;
          }
        default:
          {
            long offending = row.isNullAt(2 * i) ? 0 : ((Number) row.get(2 * i)).longValue();
            List<String> sample =
                offending == 0
                    ? List.of()
                    : sample(
                        data.where(scope(check).and(violation(check))).select(rawColumns(data)));
            results.add(
                result(
                    table,
                    check,
                    offending == 0,
                    offending,
                    checked,
                    offending + " of " + checked + " rows " + describe(check),
                    sample,
                    null));
          }
      }
    }
    return results;
  }

  /**
   * Exact, by sorting rather than grouping: the rows are spread by key, sorted within each
   * partition, and equal neighbours counted — about half the cost of a group-by when nearly every
   * key is distinct, the usual case. Rows with a null in the key are left to not_null. Only a
   * failing check runs the group-by, for its sample.
   */
  private CheckResult unique(TableId table, Dataset<Row> data, CheckSpec check) {
    Column[] columns =
        check.columns().stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new);
    Column anyNull = lit(false);
    for (Column column : columns) {
      anyNull = anyNull.or(column.isNull());
    }
    Dataset<Row> keys = data.where(scope(check).and(not(anyNull))).select(columns);
    long repeats =
        keys.repartition(columns)
            .sortWithinPartitions(columns)
            .mapPartitions(
                (MapPartitionsFunction<Row, Long>)
                    rows -> {
                      long n = 0;
                      Row previous = null;
                      while (rows.hasNext()) {
                        Row row = rows.next();
                        if (row.equals(previous)) {
                          n++;
                        }
                        previous = row;
                      }
                      return List.of(n).iterator();
                    },
                Encoders.LONG())
            // An empty table has no partitions after the shuffle: sum, not reduce, gives it 0.
            .agg(
                org.apache.spark.sql.functions.coalesce(
                    org.apache.spark.sql.functions.sum("value"),
                    org.apache.spark.sql.functions.lit(0L)))
            .head()
            .getLong(0);
    if (repeats == 0) {
      return result(
          table,
          check,
          true,
          0,
          -1,
          "every value of " + check.columns() + " appears once",
          List.of(),
          null);
    }
    Dataset<Row> duplicates = keys.groupBy(columns).count().where(col("count").gt(1));
    long values = duplicates.count();
    return result(
        table,
        check,
        false,
        values,
        -1,
        values
            + " values of "
            + check.columns()
            + " appear more than once ("
            + (values + repeats)
            + " rows)",
        sample(duplicates),
        null);
  }

  private Dataset<Row> parentKeys(CheckSpec check) {
    return spark
        .read()
        .format("delta")
        .load(tables.of(TableId.parse(check.toTable())))
        .select(col(check.toColumn()).as("_parent_key"))
        .distinct();
  }

  /** For a parent too big to broadcast: its own anti-join. */
  private CheckResult relationships(TableId table, Dataset<Row> data, CheckSpec check) {
    String column = check.columns().get(0);
    Dataset<Row> orphans =
        data.where(scope(check).and(col(column).isNotNull()))
            .join(parentKeys(check), col(column).equalTo(col("_parent_key")), "left_anti");
    long offending = orphans.count();
    return relationshipResult(
        table, check, offending, offending == 0 ? List.of() : sample(orphans));
  }

  private static CheckResult relationshipResult(
      TableId table, CheckSpec check, long offending, List<String> sample) {
    return result(
        table,
        check,
        offending == 0,
        offending,
        -1,
        offending
            + " rows whose "
            + check.columns().get(0)
            + " is not in "
            + check.toTable()
            + "."
            + check.toColumn(),
        sample,
        null);
  }

  /** The table's own columns (without the joined parent keys), for samples. */
  private static Column[] rawColumns(Dataset<Row> data) {
    return java.util.Arrays.stream(data.columns())
        .filter(c -> !c.startsWith("_parent_"))
        .map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new);
  }

  private CheckResult scd(TableId table, Dataset<Row> data, CheckSpec check) {
    Dataset<Row> broken =
        ScdInvariants.violations(
            data.where(scope(check)), check.columns(), ScdColumns.defaults(), check.gapsAllowed());
    long offending = broken.count();
    return result(
        table,
        check,
        offending == 0,
        offending,
        -1,
        offending + " versions break the SCD2 invariants",
        offending == 0 ? List.of() : sample(broken),
        null);
  }

  private CheckResult sql(TableId table, Dataset<Row> data, CheckSpec check) {
    String view = "_quality_" + UUID.randomUUID().toString().replace("-", "");
    data.createOrReplaceTempView(view);
    try {
      Dataset<Row> offending = spark.sql(withTables(check.query().replace("{table}", view)));
      long count = offending.count();
      return result(
          table,
          check,
          count == 0,
          count,
          -1,
          count + " rows returned by the check's query",
          count == 0 ? List.of() : sample(offending),
          null);
    } finally {
      spark.catalog().dropTempView(view);
    }
  }

  /** {@code {<layer>.<domain>.<table>}} in a check's query: that table, read from its location. */
  private String withTables(String query) {
    Matcher matcher = TABLE_REFERENCE.matcher(query);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String location = tables.of(TableId.parse(matcher.group(1)));
      matcher.appendReplacement(out, Matcher.quoteReplacement("delta.`" + location + "`"));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /**
   * Tables: this table's rows (in scope) equal the sum of the {@code out} tables' rows. Counters
   * (no {@code out}): the job read as many rows as it wrote, quarantined and deduplicated.
   */
  private CheckResult reconciliation(
      TableId table, Dataset<Row> data, CheckSpec check, Counters counters) {
    if (check.outTables().isEmpty()) {
      long accounted = counters.written + counters.quarantined + counters.deduplicated;
      long difference = counters.read - accounted;
      String detail =
          String.format(
              Locale.ROOT,
              "read %d = written %d + quarantined %d + deduplicated %d%s",
              counters.read,
              counters.written,
              counters.quarantined,
              counters.deduplicated,
              difference == 0 ? "" : " is off by " + difference);
      return result(
          table,
          check,
          difference == 0,
          Math.abs(difference),
          counters.read,
          detail,
          List.of(),
          (double) difference);
    }
    long in = data.where(scope(check)).count();
    long out = 0;
    List<String> parts = new ArrayList<>();
    for (String other : check.outTables()) {
      long rows = spark.read().format("delta").load(tables.of(TableId.parse(other))).count();
      parts.add(other + " " + rows);
      out += rows;
    }
    long difference = in - out;
    String detail =
        table
            + " "
            + in
            + " = "
            + String.join(" + ", parts)
            + (difference == 0 ? "" : " is off by " + difference);
    return result(
        table,
        check,
        difference == 0,
        Math.abs(difference),
        in,
        detail,
        List.of(),
        (double) difference);
  }

  private static Column scope(CheckSpec check) {
    return check.where().map(w -> expr(w)).orElse(lit(true));
  }

  private static Column violation(CheckSpec check) {
    switch (check.type()) {
      case NOT_NULL:
        {
          Column any = lit(false);
          for (String column : check.columns()) {
            any = any.or(col(column).isNull());
          }
          return any;
        }
      case ACCEPTED_VALUES:
        {
          Column value = col(check.columns().get(0));
          return value.isNotNull().and(not(value.cast("string").isin(check.values().toArray())));
        }
      case RANGE:
        {
          Column value = col(check.columns().get(0)).cast("double");
          Column outside = lit(false);
          if (check.min().isPresent()) {
            outside = outside.or(value.lt(check.min().get()));
          }
          if (check.max().isPresent()) {
            outside = outside.or(value.gt(check.max().get()));
          }
          return value.isNotNull().and(outside);
        }
      default:
        throw new IllegalArgumentException(check.type() + " is not a row check");
    }
  }

  private static String describe(CheckSpec check) {
    switch (check.type()) {
      case NOT_NULL:
        return "have a null in " + check.columns();
      case ACCEPTED_VALUES:
        return "have a " + check.columns().get(0) + " outside " + check.values();
      default:
        return "have a " + check.columns().get(0) + " outside " + bounds(check);
    }
  }

  private static String bounds(CheckSpec check) {
    return "["
        + check.min().map(QualityRunner::number).orElse("-inf")
        + ", "
        + check.max().map(QualityRunner::number).orElse("+inf")
        + "]";
  }

  private static String number(double value) {
    return value == Math.rint(value)
        ? String.format(Locale.ROOT, "%.0f", value)
        : Double.toString(value);
  }

  private static String human(Duration duration) {
    long hours = duration.toHours();
    return hours >= 48
        ? duration.toDays() + " days"
        : hours >= 1 ? hours + " hours" : duration.toMinutes() + " minutes";
  }

  private List<String> sample(Dataset<Row> offending) {
    List<String> rows = new ArrayList<>();
    for (Row row : offending.select(to_json(struct(col("*")))).takeAsList(sampleSize)) {
      rows.add(row.getString(0));
    }
    return rows;
  }

  private static CheckResult result(
      TableId table,
      CheckSpec check,
      boolean ok,
      long offending,
      long checked,
      String detail,
      List<String> sample,
      Double value) {
    return new CheckResult(
        table.toString(),
        check.name(),
        check.type().id(),
        check.severity(),
        ok ? CheckResult.PASSED : CheckResult.FAILED,
        offending,
        checked,
        detail,
        sample,
        value);
  }
}
