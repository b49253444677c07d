package com.acme.warehouse.jobs.commerce.gold;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * GMV booked, cancelled and net, now and as of a date. As of date D means the versions of orders
 * and lines valid at D's midnight (UTC): {@code valid_from <= D < valid_to}, so a delete delivered
 * on D already counts as cancelled on D. Pure functions of Datasets; {@link GoldGmvJob} reads,
 * decides which dates to recompute, and writes.
 */
public final class Gmv {
  private static final StructType DATES = StructType.fromDDL("as_of_date DATE");

  private Gmv() {}

  /** Per as-of date and order month: the figures of the versions valid on that date. */
  public static Dataset<Row> asOf(
      SparkSession spark, Dataset<Row> orders, Dataset<Row> lines, List<Row> dates) {
    Dataset<Row> days =
        broadcast(
            spark.createDataFrame(dates, DATES).withColumn("_at", to_timestamp(col("as_of_date"))));
    Dataset<Row> ordersAt =
        validAt(orders, days)
            .select(
                col("as_of_date"),
                col("o_orderkey"),
                trunc(col("o_orderdate"), "month").as("order_month"),
                col("is_deleted").as("order_deleted"),
                col("valid_from").as("order_since"));
    Dataset<Row> linesAt =
        validAt(lines, days)
            .select(
                col("as_of_date").as("_line_as_of"),
                col("l_orderkey"),
                col("l_extendedprice"),
                col("l_discount"),
                col("is_deleted").as("line_deleted"),
                col("valid_from").as("line_since"));
    Dataset<Row> joined =
        linesAt
            .join(
                ordersAt,
                col("_line_as_of")
                    .equalTo(col("as_of_date"))
                    .and(col("l_orderkey").equalTo(col("o_orderkey"))))
            .where(
                OrderLines.partOfTheOrder(
                    col("line_deleted"),
                    col("line_since"),
                    col("order_deleted"),
                    col("order_since")))
            .select(
                col("as_of_date"),
                col("order_month"),
                col("o_orderkey").as("order_id"),
                col("l_extendedprice").as("gross_amount"),
                OrderLines.netAmount(col("l_extendedprice"), col("l_discount")).as("net_amount"),
                col("order_deleted").as("is_deleted"));
    return figures(joined, col("as_of_date"), col("order_month"));
  }

  private static Dataset<Row> validAt(Dataset<Row> versions, Dataset<Row> days) {
    return versions.join(
        days,
        col("valid_from")
            .leq(col("_at"))
            .and(col("valid_to").isNull().or(col("valid_to").gt(col("_at")))));
  }

  /** Booked, cancelled and net GMV and revenue, and order and line counts, per group. */
  public static Dataset<Row> figures(Dataset<Row> lines, Column... groups) {
    Column deleted = col("is_deleted");
    return lines
        .groupBy(groups)
        .agg(
            sum("gross_amount").cast("decimal(20,2)").as("gmv_booked"),
            sum(when(deleted, col("gross_amount")).otherwise(lit(0)))
                .cast("decimal(20,2)")
                .as("gmv_cancelled"),
            sum("net_amount").cast("decimal(22,4)").as("revenue_booked"),
            sum(when(deleted, col("net_amount")).otherwise(lit(0)))
                .cast("decimal(22,4)")
                .as("revenue_cancelled"),
            countDistinct(col("order_id")).as("orders_booked"),
            countDistinct(when(deleted, col("order_id"))).as("orders_cancelled"),
            count(lit(1)).as("lines_booked"))
        .withColumn("gmv_net", col("gmv_booked").minus(col("gmv_cancelled")).cast("decimal(20,2)"))
        .withColumn(
            "revenue_net",
            col("revenue_booked").minus(col("revenue_cancelled")).cast("decimal(22,4)"))
        .withColumn("orders_net", col("orders_booked").minus(col("orders_cancelled")));
  }
}
