package com.acme.warehouse.jobs.commerce.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.gold.Increment;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.keys.SurrogateKeys;
import com.acme.warehouse.jobs.commerce.CommerceTables;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code commerce-gold-order-lines}: {@code fct_order_lines}, one row per line of every order ever
 * received, in its latest state: money as DECIMAL (gross = extended price; discount, net = gross ×
 * (1 − discount) and tax exact to four and six places), the order's date, status, first delivery,
 * number of versions, and whether and when the source deleted it; keyed to the customer, part and
 * supplier versions valid at the order date. Lines of a deleted order stay, marked; a line an order
 * lost in a re-delivery is no longer one of its lines and leaves the fact.
 *
 * <p>Incremental ({@link Increment}): only the orders whose silver history changed since the last
 * run (Delta's change data feed) are recomputed, in one MERGE over the files of their order dates
 * and later (the table is laid out by order date); a new dimension build, a gap in the feed, small
 * inputs or too many orders touched rebuild whole.
 */
public final class GoldOrderLinesJob implements Job {
  private static final List<TableId> DIMENSIONS =
      List.of(CommerceTables.DIM_CUSTOMER, CommerceTables.DIM_PART, CommerceTables.DIM_SUPPLIER);
  private static final List<TableId> INPUTS =
      List.of(
          CommerceTables.ORDERS,
          CommerceTables.LINEITEM,
          CommerceTables.DIM_CUSTOMER,
          CommerceTables.DIM_PART,
          CommerceTables.DIM_SUPPLIER);

  public static JobDefinition definition() {
    return JobDefinition.builder("commerce-gold-order-lines")
        .layer(Layer.GOLD)
        .domain(CommerceTables.DOMAIN)
        .inputs(INPUTS)
        .outputs(List.of(CommerceTables.FCT_ORDER_LINES))
        .description("line-grain order facts with deleted flag, keyed to dimension versions")
        .factory((config, app) -> new GoldOrderLinesJob())
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    Increment increment = Increment.of(context, INPUTS, List.of(CommerceTables.FCT_ORDER_LINES));
    JobResult.Builder result = increment.result();
    Dataset<Row> orders = context.read(CommerceTables.ORDERS);
    Dataset<Row> lines = context.read(CommerceTables.LINEITEM);
    long written =
        increment.rewrite(
            CommerceTables.FCT_ORDER_LINES,
            List.of("line_key"),
            "order_id",
            "order_date",
            touchedOrders(increment),
            scope ->
                facts(
                    context, scope.rowsOf(orders, "o_orderkey"), scope.rowsOf(lines, "l_orderkey")),
            result);
    return result.rowsRead(written).rowsWritten(written).build();
  }

  /**
   * The orders whose history changed since the last run; empty (rebuild whole) when a dimension was
   * rebuilt, since its keys may have moved under any order.
   */
  private static Optional<Dataset<Row>> touchedOrders(Increment increment) {
    if (DIMENSIONS.stream().anyMatch(increment::moved)) {
      return Optional.empty();
    }
    return Increment.allOf(
        increment.changedKeys(CommerceTables.ORDERS, "o_orderkey").map(keys -> keys.toDF("id")),
        increment.changedKeys(CommerceTables.LINEITEM, "l_orderkey").map(keys -> keys.toDF("id")));
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
}
