package com.acme.warehouse.jobs.commerce.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.gold.ChangeFeed;
import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.gold.GoldTables;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.keys.SurrogateKeys;
import com.acme.warehouse.common.silver.ScopedReplace;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.commerce.CommerceTables;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code commerce-gold-order-lines}: {@code fct_order_lines}, one row per line of every order ever
 * received, in its latest state: money as DECIMAL (gross = extended price; discount, net = gross ×
 * (1 − discount) and tax exact to four and six places), the order's date, status, first delivery,
 * number of versions, and whether and when the source deleted it; keyed to the customer, part and
 * supplier versions valid at the order date. Lines of a deleted order stay, marked; a line an order
 * lost in a re-delivery is no longer one of its lines and leaves the fact.
 *
 * <p>Incremental: only the orders whose silver history changed since the last run (Delta's change
 * data feed) are recomputed, in one MERGE; a new dimension build or a gap in the feed rebuilds
 * whole.
 */
public final class GoldOrderLinesJob implements Job {
  private static final List<TableId> DIMENSIONS =
      List.of(CommerceTables.DIM_CUSTOMER, CommerceTables.DIM_PART, CommerceTables.DIM_SUPPLIER);

  public static JobDefinition definition() {
    return JobDefinition.builder("commerce-gold-order-lines")
        .layer(Layer.GOLD)
        .domain(CommerceTables.DOMAIN)
        .inputs(
            List.of(
                CommerceTables.ORDERS,
                CommerceTables.LINEITEM,
                CommerceTables.DIM_CUSTOMER,
                CommerceTables.DIM_PART,
                CommerceTables.DIM_SUPPLIER))
        .outputs(List.of(CommerceTables.FCT_ORDER_LINES))
        .description("line-grain order facts with deleted flag, keyed to dimension versions")
        .factory((config, app) -> new GoldOrderLinesJob())
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    String target = context.location(CommerceTables.FCT_ORDER_LINES);
    Watermark before = Watermark.parse(context.previousWatermark());
    Watermark now = Watermark.parse(Optional.empty());
    for (TableId input : List.of(CommerceTables.ORDERS, CommerceTables.LINEITEM)) {
      now = now.with(input.name(), Optional.of(Long.toString(version(context, input))));
    }
    for (TableId dimension : DIMENSIONS) {
      now = now.with(dimension.name(), Optional.of(Long.toString(version(context, dimension))));
    }
    Optional<Dataset<Row>> touched = touchedOrders(context, before, now);
    Dataset<Row> orders = context.read(CommerceTables.ORDERS);
    Dataset<Row> lines = context.read(CommerceTables.LINEITEM);
    if (touched.isPresent()) {
      Dataset<Row> keys = touched.get().persist(StorageLevel.MEMORY_AND_DISK());
      try {
        orders = orders.join(keys, col("o_orderkey").equalTo(col("_touched")), "left_semi");
        lines = lines.join(keys, col("l_orderkey").equalTo(col("_touched")), "left_semi");
        Dataset<Row> facts = facts(context, orders, lines);
        ScopedReplace.Counts counts =
            ScopedReplace.apply(
                spark,
                facts,
                keys.toDF("order_id"),
                target,
                List.of("line_key"),
                List.of("order_id"));
        return JobResult.builder()
            .rowsRead(keys.count())
            .rowsWritten(counts.upserted)
            .watermarkBefore(before.toString())
            .watermarkAfter(now.toString())
            .detail("mode", "incremental")
            .detail("orders_recomputed", keys.count())
            .detail("lines_upserted", counts.upserted)
            .detail("lines_removed", counts.deleted)
            .build();
      } finally {
        keys.unpersist();
      }
    }
    Dataset<Row> facts = facts(context, orders, lines);
    GoldTables.replace(facts, target);
    long written = spark.read().format("delta").load(target).count();
    return JobResult.builder()
        .rowsRead(written)
        .rowsWritten(written)
        .watermarkBefore(before.orNull())
        .watermarkAfter(now.toString())
        .detail("mode", "full")
        .build();
  }

  /**
   * The order keys whose history changed since the last run, as {@code _touched}; empty when the
   * whole table must be rebuilt (first run, full refresh, new dimensions, no feed for the range).
   */
  private static Optional<Dataset<Row>> touchedOrders(
      JobContext context, Watermark before, Watermark now) {
    if (before.isEmpty() || version(context, CommerceTables.FCT_ORDER_LINES) < 0) {
      return Optional.empty();
    }
    for (TableId dimension : DIMENSIONS) {
      if (!before.get(dimension.name()).equals(now.get(dimension.name()))) {
        return Optional.empty();
      }
    }
    Optional<Dataset<Row>> orders = changes(context, CommerceTables.ORDERS, before, now);
    Optional<Dataset<Row>> lines = changes(context, CommerceTables.LINEITEM, before, now);
    if (orders.isEmpty() || lines.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        orders
            .get()
            .select(col("o_orderkey").as("_touched"))
            .union(lines.get().select(col("l_orderkey").as("_touched")))
            .distinct());
  }

  private static Optional<Dataset<Row>> changes(
      JobContext context, TableId table, Watermark before, Watermark now) {
    Optional<String> since = before.get(table.name());
    if (since.isEmpty()) {
      return Optional.empty();
    }
    return ChangeFeed.changes(
        context.spark(),
        context.location(table),
        Long.parseLong(since.get()),
        Long.parseLong(now.get(table.name()).orElseThrow()));
  }

  /** The fact rows of these orders' histories. */
  static Dataset<Row> facts(JobContext context, Dataset<Row> orders, Dataset<Row> lines) {
    Dataset<Row> joined = withDimensionKeys(context, currentLines(orders, lines));
    Column gross = col("l_extendedprice");
    Column discount = OrderLines.discountAmount(gross, col("l_discount"));
    Column net = OrderLines.netAmount(gross, col("l_discount"));
    return joined.select(
        SurrogateKeys.key(joined, "l_orderkey", "l_linenumber").as("line_key"),
        col("l_orderkey").as("order_id"),
        col("l_linenumber").as("line_number"),
        col("customer_key"),
        col("part_key"),
        col("supplier_key"),
        Dimensions.dateKey(col("o_orderdate")).as("order_date_key"),
        col("o_orderdate").as("order_date"),
        trunc(col("o_orderdate"), "month").as("order_month"),
        col("o_orderstatus").as("order_status"),
        col("o_orderpriority").as("order_priority"),
        col("l_quantity").as("quantity"),
        gross.as("gross_amount"),
        col("l_discount").as("discount_rate"),
        discount.as("discount_amount"),
        net.as("net_amount"),
        col("l_tax").as("tax_rate"),
        OrderLines.taxAmount(net, col("l_tax")).as("tax_amount"),
        col("l_returnflag").as("return_flag"),
        col("l_linestatus").as("line_status"),
        col("l_shipdate").as("ship_date"),
        col("booked_at"),
        col("order_versions"),
        col("order_deleted").as("is_deleted"),
        when(col("order_deleted"), col("order_since")).as("deleted_at"));
  }

  /**
   * The current version of each line that is part of its order's current version, with the order's
   * attributes, when it was first booked and how many versions it has; {@code _at} is the order
   * date, the instant its dimension keys are looked up at.
   */
  private static Dataset<Row> currentLines(Dataset<Row> orders, Dataset<Row> lines) {
    Dataset<Row> firstBooked =
        orders
            .groupBy("o_orderkey")
            .agg(min("valid_from").as("booked_at"), count(lit(1)).cast("int").as("order_versions"));
    Dataset<Row> current =
        orders
            .where(col("is_current"))
            .select(
                col("o_orderkey"),
                col("o_custkey"),
                col("o_orderstatus"),
                col("o_orderpriority"),
                col("o_orderdate"),
                col("is_deleted").as("order_deleted"),
                col("valid_from").as("order_since"))
            .join(firstBooked, "o_orderkey");
    return lines
        .where(col("is_current"))
        .join(current, col("l_orderkey").equalTo(col("o_orderkey")))
        .where(
            OrderLines.partOfTheOrder(
                col("is_deleted"), col("valid_from"), col("order_deleted"), col("order_since")))
        .withColumn("_at", to_timestamp(col("o_orderdate")));
  }

  /** The customer, part and supplier keys of the versions valid at {@code _at}. */
  private static Dataset<Row> withDimensionKeys(JobContext context, Dataset<Row> joined) {
    joined =
        Dimensions.keyAt(
            joined,
            "o_custkey",
            col("_at"),
            context.read(CommerceTables.DIM_CUSTOMER),
            "customer_id",
            "customer_key",
            "customer_key");
    joined =
        Dimensions.keyAt(
            joined,
            "l_partkey",
            col("_at"),
            context.read(CommerceTables.DIM_PART),
            "part_id",
            "part_key",
            "part_key");
    joined =
        Dimensions.keyAt(
            joined,
            "l_suppkey",
            col("_at"),
            context.read(CommerceTables.DIM_SUPPLIER),
            "supplier_id",
            "supplier_key",
            "supplier_key");
    return joined;
  }

  private static long version(JobContext context, TableId table) {
    return ChangeFeed.version(context.spark(), context.location(table));
  }
}
