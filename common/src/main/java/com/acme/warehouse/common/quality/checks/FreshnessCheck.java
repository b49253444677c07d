package com.acme.warehouse.common.quality.checks;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.CheckSpec;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** {@code freshness}: the newest timestamp in scope is at most max-age old when checked. */
public final class FreshnessCheck extends SharedPassCheck {
  public FreshnessCheck(CheckSpec spec) {
    super(spec);
  }

  @Override
  public List<Column> aggregates() {
    Column scope = CheckContext.scope(spec);
    return List.of(
        max(when(scope, col(spec.columns().get(0)).cast("timestamp"))),
        sum(when(scope, 1).otherwise(0)));
  }

  @Override
  public CheckResult judge(CheckContext context, Dataset<Row> shared, Row row, int at) {
    String column = spec.columns().get(0);
    Timestamp newest = row.isNullAt(at) ? null : row.getTimestamp(at);
    Duration age = newest == null ? null : Duration.between(newest.toInstant(), context.now);
    boolean ok = age != null && age.compareTo(spec.maxAge()) <= 0;
    String detail =
        newest == null
            ? "no rows with a " + column
            : "newest "
                + column
                + " "
                + newest.toInstant()
                + " is "
                + human(age)
                + " old, at most "
                + human(spec.maxAge());
    return context.result(spec, ok, ok ? 0 : 1, longAt(row, at + 1), detail, List.of(), null);
  }

  private static String human(Duration duration) {
    long hours = duration.toHours();
    return hours >= 48
        ? duration.toDays() + " days"
        : hours >= 1 ? hours + " hours" : duration.toMinutes() + " minutes";
  }
}
