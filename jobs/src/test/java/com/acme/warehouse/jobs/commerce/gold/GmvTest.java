package com.acme.warehouse.jobs.commerce.gold;

import com.acme.warehouse.common.testing.SparkTestBase;
import java.sql.Date;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * GMV as of a date on in-memory histories: an order deleted on a delivery date is cancelled as of
 * that date (not the day after), and a line an order lost in a re-delivery leaves its GMV instead
 * of turning into a cancellation.
 */
class GmvTest extends SparkTestBase {
  private static final String ORDERS =
      "o_orderkey BIGINT, o_orderdate DATE, is_deleted BOOLEAN, valid_from TIMESTAMP,"
          + " valid_to TIMESTAMP";
  private static final String LINES =
      "l_orderkey BIGINT, l_linenumber INT, l_extendedprice DECIMAL(12,2),"
          + " l_discount DECIMAL(4,2), is_deleted BOOLEAN, valid_from TIMESTAMP, valid_to TIMESTAMP";
  private static final String FIGURES =
      "as_of_date DATE, order_month DATE, gmv_booked DECIMAL(20,2), gmv_cancelled DECIMAL(20,2),"
          + " gmv_net DECIMAL(20,2), revenue_booked DECIMAL(22,4), revenue_cancelled DECIMAL(22,4),"
          + " revenue_net DECIMAL(22,4), orders_booked BIGINT, orders_cancelled BIGINT,"
          + " orders_net BIGINT, lines_booked BIGINT";

  @Test
  void aDeleteCountsAsCancelledFromItsDeliveryDateOnAndALostLineLeavesTheOrder() {
    Dataset<Row> orders =
        df(
            ORDERS,
            // Order 1: delivered Jan 20, deleted by the delivery of Feb 10.
            "{'o_orderkey':1,'o_orderdate':'2024-01-15','is_deleted':false,"
                + "'valid_from':'2024-01-20T00:00:00Z','valid_to':'2024-02-10T00:00:00Z'}",
            "{'o_orderkey':1,'o_orderdate':'2024-01-15','is_deleted':true,"
                + "'valid_from':'2024-02-10T00:00:00Z'}",
            // Order 2: delivered Jan 20, still live.
            "{'o_orderkey':2,'o_orderdate':'2024-01-25','is_deleted':false,"
                + "'valid_from':'2024-01-20T00:00:00Z'}");
    Dataset<Row> lines =
        df(
            LINES,
            "{'l_orderkey':1,'l_linenumber':1,'l_extendedprice':100.00,'l_discount':0.10,"
                + "'is_deleted':false,'valid_from':'2024-01-20T00:00:00Z',"
                + "'valid_to':'2024-02-10T00:00:00Z'}",
            "{'l_orderkey':1,'l_linenumber':1,'l_extendedprice':100.00,'l_discount':0.10,"
                + "'is_deleted':true,'valid_from':'2024-02-10T00:00:00Z'}",
            "{'l_orderkey':1,'l_linenumber':2,'l_extendedprice':50.00,'l_discount':0.00,"
                + "'is_deleted':false,'valid_from':'2024-01-20T00:00:00Z',"
                + "'valid_to':'2024-02-10T00:00:00Z'}",
            "{'l_orderkey':1,'l_linenumber':2,'l_extendedprice':50.00,'l_discount':0.00,"
                + "'is_deleted':true,'valid_from':'2024-02-10T00:00:00Z'}",
            "{'l_orderkey':2,'l_linenumber':1,'l_extendedprice':30.00,'l_discount':0.00,"
                + "'is_deleted':false,'valid_from':'2024-01-20T00:00:00Z'}",
            // Order 2 re-delivered on Feb 10 without its line 2: that line is closed, not
            // cancelled.
            "{'l_orderkey':2,'l_linenumber':2,'l_extendedprice':20.00,'l_discount':0.00,"
                + "'is_deleted':false,'valid_from':'2024-01-20T00:00:00Z',"
                + "'valid_to':'2024-02-10T00:00:00Z'}",
            "{'l_orderkey':2,'l_linenumber':2,'l_extendedprice':20.00,'l_discount':0.00,"
                + "'is_deleted':true,'valid_from':'2024-02-10T00:00:00Z'}");
    List<Row> dates =
        List.of(
            RowFactory.create(Date.valueOf("2024-02-09")),
            RowFactory.create(Date.valueOf("2024-02-10")));

    Dataset<Row> asOf = Gmv.asOf(spark, orders, lines, dates);

    assertSameRows(
        df(
            FIGURES,
            // The day before: everything booked, nothing cancelled; revenue nets the 10% discount.
            "{'as_of_date':'2024-02-09','order_month':'2024-01-01','gmv_booked':200.00,"
                + "'gmv_cancelled':0,'gmv_net':200.00,'revenue_booked':190.0000,"
                + "'revenue_cancelled':0,'revenue_net':190.0000,'orders_booked':2,"
                + "'orders_cancelled':0,'orders_net':2,'lines_booked':4}",
            // The delivery date itself: order 1 cancelled, order 2 without its lost line.
            "{'as_of_date':'2024-02-10','order_month':'2024-01-01','gmv_booked':180.00,"
                + "'gmv_cancelled':150.00,'gmv_net':30.00,'revenue_booked':170.0000,"
                + "'revenue_cancelled':140.0000,'revenue_net':30.0000,'orders_booked':2,"
                + "'orders_cancelled':1,'orders_net':1,'lines_booked':3}"),
        asOf);
  }
}
