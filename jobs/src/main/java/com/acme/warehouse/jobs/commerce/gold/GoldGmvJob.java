package com.acme.warehouse.jobs.commerce.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_date;

import com.acme.warehouse.common.gold.ChangeFeed;
import com.acme.warehouse.common.gold.GoldTables;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.common.spark.DriverRows;
import com.acme.warehouse.jobs.commerce.CommerceTables;
import java.io.PrintStream;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * {@code commerce-gold-gmv}: GMV by order month, as it is now and as it was known on every delivery
 * date.
 *
 * <ul>
 *   <li>{@code gmv_monthly}: per order month, GMV booked (every order ever received, at its latest
 *       values), cancelled (orders the source later deleted), net (booked − cancelled); the same
 *       for revenue (net of discount); order and line counts. A delete moves money from net to
 *       cancelled; booked changes only when an order's own values are corrected.
 *   <li>{@code gmv_monthly_asof}: the same figures per {@code as_of_date}, for every delivery date,
 *       computed from the silver histories (the versions valid on that date), not from Delta time
 *       travel, so they survive publishing to a store without a Delta log. The figures for any date
 *       D are those of the latest {@code as_of_date <= D}. Incremental: only dates on or after the
 *       earliest version a run added are recomputed (a late refresh set rewrites from its own date
 *       on).
 * </ul>
 */
public final class GoldGmvJob implements Job {
  private static final List<TableId> HISTORIES =
      List.of(CommerceTables.ORDERS, CommerceTables.LINEITEM);
  private static final int PRINTED_MONTHS = 6;

  public static JobDefinition definition() {
    return JobDefinition.builder("commerce-gold-gmv")
        .layer(Layer.GOLD)
        .domain(CommerceTables.DOMAIN)
        .inputs(
            List.of(CommerceTables.FCT_ORDER_LINES, CommerceTables.ORDERS, CommerceTables.LINEITEM))
        .outputs(List.of(CommerceTables.GMV_MONTHLY, CommerceTables.GMV_MONTHLY_ASOF))
        .description("GMV booked / cancelled / net by order month, now and as of each delivery")
        .factory((config, app) -> new GoldGmvJob())
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    Dataset<Row> facts = context.read(CommerceTables.FCT_ORDER_LINES);
    Dataset<Row> monthly =
        Gmv.figures(
                facts.select(
                    col("order_month"),
                    col("order_id"),
                    col("gross_amount"),
                    col("net_amount"),
                    col("is_deleted")),
                col("order_month"))
            .orderBy("order_month");
    GoldTables.replace(monthly, context.location(CommerceTables.GMV_MONTHLY));

    Watermark before = Watermark.parse(context.previousWatermark());
    Watermark now = historyVersions(context);
    String asOfTarget = context.location(CommerceTables.GMV_MONTHLY_ASOF);
    Optional<LocalDate> from = Optional.empty();
    boolean whole = before.isEmpty() || ChangeFeed.version(spark, asOfTarget) < 0;
    if (!whole) {
      Change changed = earliestChange(context, before, now);
      whole = changed.unknown;
      from = changed.from;
    }
    Dataset<Row> orders = context.read(CommerceTables.ORDERS);
    Dataset<Row> lines = context.read(CommerceTables.LINEITEM);
    List<Row> dates = asOfDates(orders, lines, whole ? Optional.of(LocalDate.MIN) : from);
    long asOfRows = 0;
    if (whole || !dates.isEmpty()) {
      Dataset<Row> asOf =
          Gmv.asOf(spark, orders, lines, dates).orderBy("as_of_date", "order_month");
      if (whole) {
        GoldTables.replace(asOf, asOfTarget);
      } else {
        asOf.write()
            .format("delta")
            .mode("overwrite")
            .option("replaceWhere", "as_of_date >= '" + from.get() + "'")
            .save(asOfTarget);
      }
      asOfRows = asOf.count();
    }
    print(context.out(), context.read(CommerceTables.GMV_MONTHLY));
    return JobResult.builder()
        .rowsWritten(monthly.count() + asOfRows)
        .watermarkBefore(before.orNull())
        .watermarkAfter(now.toString())
        .detail("as_of_mode", whole ? "full" : "incremental")
        .detail("as_of_dates_recomputed", dates.size())
        .detail("as_of_from", from.map(LocalDate::toString).orElse(whole ? "beginning" : "none"))
        .build();
  }

  /** The version of each history the as-of figures are computed from. */
  private static Watermark historyVersions(JobContext context) {
    Watermark now = Watermark.parse(Optional.empty());
    for (TableId history : HISTORIES) {
      long version = ChangeFeed.version(context.spark(), context.location(history));
      now = now.with(history.name(), Optional.of(Long.toString(version)));
    }
    return now;
  }

  /**
   * The days on which the orders history changed (one as-of row set each), from {@code from} on;
   * none without it. Days, not rows: bounded by the calendar, so a list on the driver.
   */
  private static List<Row> asOfDates(
      Dataset<Row> orders, Dataset<Row> lines, Optional<LocalDate> from) {
    List<Row> dates = new ArrayList<>();
    for (Row row :
        DriverRows.atMost(
            orders
                .select(to_date(col("valid_from")).as("d"))
                .union(lines.select(to_date(col("valid_from"))))
                .distinct()
                .orderBy("d"),
            1_000_000,
            "as-of dates of the orders history")) {
      LocalDate date = row.getDate(0).toLocalDate();
      if (from.isPresent() && !date.isBefore(from.get())) {
        dates.add(RowFactory.create(Date.valueOf(date)));
      }
    }
    return dates;
  }

  /** What the histories gained since the last run, as far as the as-of figures are concerned. */
  private static final class Change {
    /** The change feed cannot say: rebuild whole. */
    static final Change UNKNOWN = new Change(true, Optional.empty());

    final boolean unknown;

    /** The date of the earliest version added; empty when nothing was. */
    final Optional<LocalDate> from;

    private Change(boolean unknown, Optional<LocalDate> from) {
      this.unknown = unknown;
      this.from = from;
    }
  }

  /** The date of the earliest version added to either history since the last run. */
  private static Change earliestChange(JobContext context, Watermark before, Watermark now) {
    Optional<LocalDate> earliest = Optional.empty();
    for (TableId history : HISTORIES) {
      Optional<String> since = before.get(history.name());
      if (since.isEmpty()) {
        return Change.UNKNOWN;
      }
      Optional<Dataset<Row>> changes =
          ChangeFeed.changes(
              context.spark(),
              context.location(history),
              Long.parseLong(since.get()),
              Long.parseLong(now.get(history.name()).orElseThrow()));
      if (changes.isEmpty()) {
        return Change.UNKNOWN;
      }
      Row row =
          changes
              .get()
              .where(col("_change_type").equalTo("insert"))
              .agg(min(to_date(col("valid_from"))))
              .head();
      if (!row.isNullAt(0)) {
        LocalDate date = row.getDate(0).toLocalDate();
        earliest = Optional.of(earliest.filter(e -> e.isBefore(date)).orElse(date));
      }
    }
    return new Change(false, earliest);
  }

  /** The latest months as a reader wants them: booked, cancelled, net, and orders cancelled. */
  private static void print(PrintStream out, Dataset<Row> monthly) {
    List<Row> latest = monthly.orderBy(col("order_month").desc()).takeAsList(PRINTED_MONTHS);
    out.printf(
        Locale.ROOT,
        "%nGMV by order month (latest %d; deletes move money to cancelled):%n",
        latest.size());
    out.printf(
        Locale.ROOT,
        "  %-8s %16s %14s %16s %8s %10s%n",
        "MONTH",
        "GMV BOOKED",
        "CANCELLED",
        "GMV NET",
        "ORDERS",
        "CANCELLED");
    for (int i = latest.size() - 1; i >= 0; i--) {
      Row row = latest.get(i);
      out.printf(
          Locale.ROOT,
          "  %-8s %,16.2f %,14.2f %,16.2f %8d %10d%n",
          row.getDate(row.fieldIndex("order_month")).toString().substring(0, 7),
          row.getDecimal(row.fieldIndex("gmv_booked")),
          row.getDecimal(row.fieldIndex("gmv_cancelled")),
          row.getDecimal(row.fieldIndex("gmv_net")),
          row.getLong(row.fieldIndex("orders_booked")),
          row.getLong(row.fieldIndex("orders_cancelled")));
    }
    out.println();
  }
}
