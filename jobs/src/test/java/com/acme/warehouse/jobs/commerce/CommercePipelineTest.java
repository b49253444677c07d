package com.acme.warehouse.jobs.commerce;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import com.acme.warehouse.jobs.testing.PublishToBigQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The commerce domain end to end on hand-built TPC-H extracts, run after the base load and after
 * each refresh set, every expected value worked out by hand below. The story of order 1 (July):
 * delivered open with lines of 1000.00 (10% off) and 500.00 (5% off); re-delivered in set 1
 * fulfilled, with line 2's discount corrected to 4%; deleted in set 2 (twice in one file) and again
 * in set 3. Order 2 (June) is re-delivered unchanged in set 2 but without its line 2. Order 3
 * (July, 200.00) is never touched. Order 4 belongs to a customer the extract lacks. Orders 10, 11,
 * 12 arrive in the sets (August). Order 5's date cannot be read; set 1 deletes order 999, which
 * never existed.
 */
class CommercePipelineTest extends SparkTestBase {
  private static final String BASE = "commerce/base/dt=1998-08-03/";
  private static final String[] SETS = {"1998-08-10", "1998-08-17", "1998-08-24"};

  private static JobsCli cli;
  private static Path raw;
  private static final List<String> incrementalDetails = new ArrayList<>();

  @BeforeAll
  static void runBaseThenEachRefreshSetWithSetTwoLate() throws IOException {
    raw = tempDir.resolve("commerce-raw");
    writeBase(raw);
    cli =
        new JobsCli(spark, raw.toString(), tempDir.resolve("commerce-wh").toString())
            .always("--set", "gold.incremental-max-fraction=1");
    assertThat(cli.run("pipeline", "--domain", "commerce")).as(cli.err()).isEqualTo(0);
    // Set 2 arrives after set 3: every expectation below is that of an in-order arrival.
    for (int set : new int[] {1, 3, 2}) {
      writeSet(raw, set);
      assertThat(cli.run("pipeline", "--domain", "commerce")).as(cli.err()).isEqualTo(0);
      incrementalDetails.add(lastDetails("commerce-gold-order-lines"));
      incrementalDetails.add(lastDetails("commerce-gold-gmv"));
      incrementalDetails.add(lastDetails("commerce-silver-orders"));
    }
  }

  private static void writeBase(Path raw) throws IOException {
    write(raw, BASE + "region.tbl", "0|AMERICA|c|");
    write(raw, BASE + "nation.tbl", "1|CANADA|0|c|");
    write(
        raw,
        BASE + "customer.tbl",
        "1|Customer#1|addr|1|11-111|100.00|BUILDING|c|",
        "2|Customer#2|addr|1|11-112|-5.50|MACHINERY|c|");
    write(raw, BASE + "supplier.tbl", "1|Supplier#1|addr|1|11-113|10.00|c|");
    write(
        raw,
        BASE + "part.tbl",
        "1|green box|Manufacturer#1|Brand#11|STEEL|5|SM BOX|901.00|c|",
        "2|red box|Manufacturer#2|Brand#22|TIN|7|LG BOX|902.00|c|");
    // Key (1,1) delivered twice alike (collapses); key (2,1) twice with different quantities.
    write(
        raw,
        BASE + "partsupp.tbl",
        "1|1|10|5.00|c|",
        "1|1|10|5.00|c|",
        "2|1|20|6.00|c|",
        "2|1|21|6.00|c|");
    write(
        raw,
        BASE + "orders.tbl",
        order(1, 1, "O", "1998-07-15"),
        order(2, 2, "F", "1998-06-10"),
        order(3, 2, "O", "1998-07-20"),
        order(4, 9, "F", "1998-05-01"),
        order(5, 1, "O", "1998-13-45"));
    write(
        raw,
        BASE + "lineitem.tbl",
        line(1, 1, 1, "1000.00", "0.10"),
        line(1, 2, 2, "500.00", "0.05"),
        line(2, 1, 1, "100.00", "0.00"),
        line(2, 2, 2, "50.00", "0.00"),
        line(3, 1, 2, "200.00", "0.00"),
        line(4, 1, 1, "10.00", "0.00"));
  }

  private static void writeSet(Path raw, int set) throws IOException {
    String dir = "commerce/refresh/dt=" + SETS[set - 1] + "/";
    if (set == 1) {
      write(
          raw,
          dir + "orders.tbl.u1",
          order(1, 1, "F", "1998-07-15"),
          order(10, 1, "O", "1998-08-05"));
      write(
          raw,
          dir + "lineitem.tbl.u1",
          line(1, 1, 1, "1000.00", "0.10"),
          line(1, 2, 2, "500.00", "0.04"),
          line(10, 1, 1, "300.00", "0.10"));
      write(raw, dir + "delete.1", "999|");
    } else if (set == 2) {
      write(
          raw,
          dir + "orders.tbl.u2",
          order(2, 2, "F", "1998-06-10"),
          order(11, 2, "O", "1998-08-12"));
      write(
          raw,
          dir + "lineitem.tbl.u2",
          line(2, 1, 1, "100.00", "0.00"),
          line(11, 1, 1, "40.00", "0.00"));
      write(raw, dir + "delete.2", "1|", "1|");
    } else {
      write(raw, dir + "orders.tbl.u3", order(12, 1, "O", "1998-08-20"));
      write(raw, dir + "lineitem.tbl.u3", line(12, 1, 2, "60.00", "0.50"));
      write(raw, dir + "delete.3", "1|");
    }
  }

  private static String order(long key, long customer, String status, String date) {
    return key + "|" + customer + "|" + status + "|1.00|" + date + "|1-URGENT|Clerk#1|0|c|";
  }

  private static String line(long order, int number, long part, String price, String discount) {
    return order
        + "|"
        + part
        + "|1|"
        + number
        + "|1.00|"
        + price
        + "|"
        + discount
        + "|0.05|N|O|1998-09-01|1998-09-01|1998-09-02|NONE|AIR|c|";
  }

  private static void write(Path raw, String relative, String... lines) throws IOException {
    Path file = raw.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  private static String lastDetails(String job) {
    List<Row> runs =
        cli.runLog()
            .where(col("job").equalTo(job))
            .orderBy(col("start_time").desc())
            .limit(1)
            .collectAsList();
    return runs.get(0).getAs("details");
  }

  private static Dataset<Row> table(String layer, String name) {
    return spark.read().format("delta").load(cli.location(layer, "commerce", name));
  }

  private static final String ASOF =
      "as_of_date DATE, order_month DATE, gmv_booked DECIMAL(20,2), gmv_cancelled DECIMAL(20,2),"
          + " gmv_net DECIMAL(20,2), revenue_booked DECIMAL(22,4), revenue_cancelled DECIMAL(22,4),"
          + " revenue_net DECIMAL(22,4), orders_booked BIGINT, orders_cancelled BIGINT,"
          + " orders_net BIGINT, lines_booked BIGINT";

  private static String figures(
      String asOf,
      String month,
      String booked,
      String cancelled,
      String revenueBooked,
      String revenueCancelled,
      long orders,
      long ordersCancelled,
      long lines) {
    java.math.BigDecimal net =
        new java.math.BigDecimal(booked).subtract(new java.math.BigDecimal(cancelled));
    java.math.BigDecimal revenueNet =
        new java.math.BigDecimal(revenueBooked)
            .subtract(new java.math.BigDecimal(revenueCancelled));
    return String.format(
        "{\"as_of_date\":\"%s\",\"order_month\":\"%s\",\"gmv_booked\":%s,\"gmv_cancelled\":%s,"
            + "\"gmv_net\":%s,\"revenue_booked\":%s,\"revenue_cancelled\":%s,\"revenue_net\":%s,"
            + "\"orders_booked\":%d,\"orders_cancelled\":%d,\"orders_net\":%d,\"lines_booked\":%d}",
        asOf,
        month,
        booked,
        cancelled,
        net.toPlainString(),
        revenueBooked,
        revenueCancelled,
        revenueNet.toPlainString(),
        orders,
        ordersCancelled,
        orders - ordersCancelled,
        lines);
  }

  @Test
  void aRerunWithNothingNewSkipsEveryJobAndChangesNoTable() throws IOException {
    cli.assertRerunSkipsEveryJob("commerce");
  }

  @Test
  void anOrderInsertedRedeliveredAndDeletedHasThreeVersionsAndItsLinesAreKeptAndMarked() {
    assertSameRows(
        df(
            "o_orderkey BIGINT, o_orderstatus STRING, valid_from TIMESTAMP, valid_to TIMESTAMP,"
                + " is_current BOOLEAN, is_deleted BOOLEAN",
            "{\"o_orderkey\":1,\"o_orderstatus\":\"O\",\"valid_from\":\"1998-08-03T00:00:00Z\","
                + "\"valid_to\":\"1998-08-10T00:00:00Z\",\"is_current\":false,\"is_deleted\":false}",
            "{\"o_orderkey\":1,\"o_orderstatus\":\"F\",\"valid_from\":\"1998-08-10T00:00:00Z\","
                + "\"valid_to\":\"1998-08-17T00:00:00Z\",\"is_current\":false,\"is_deleted\":false}",
            "{\"o_orderkey\":1,\"o_orderstatus\":\"F\",\"valid_from\":\"1998-08-17T00:00:00Z\","
                + "\"valid_to\":null,\"is_current\":true,\"is_deleted\":true}"),
        table("silver", "orders")
            .where(col("o_orderkey").equalTo(1))
            .select(
                "o_orderkey",
                "o_orderstatus",
                "valid_from",
                "valid_to",
                "is_current",
                "is_deleted"));
    assertSameRows(
        df(
            "l_linenumber INT, l_discount DECIMAL(15,2), valid_from TIMESTAMP, is_deleted BOOLEAN",
            "{\"l_linenumber\":1,\"l_discount\":0.10,\"valid_from\":\"1998-08-03T00:00:00Z\",\"is_deleted\":false}",
            "{\"l_linenumber\":1,\"l_discount\":0.10,\"valid_from\":\"1998-08-17T00:00:00Z\",\"is_deleted\":true}",
            "{\"l_linenumber\":2,\"l_discount\":0.05,\"valid_from\":\"1998-08-03T00:00:00Z\",\"is_deleted\":false}",
            "{\"l_linenumber\":2,\"l_discount\":0.04,\"valid_from\":\"1998-08-10T00:00:00Z\",\"is_deleted\":false}",
            "{\"l_linenumber\":2,\"l_discount\":0.04,\"valid_from\":\"1998-08-17T00:00:00Z\",\"is_deleted\":true}"),
        table("silver", "lineitem")
            .where(col("l_orderkey").equalTo(1))
            .select("l_linenumber", "l_discount", "valid_from", "is_deleted"));
  }

  @Test
  void theFactKeepsDeletedLinesMarkedWithExactMoneyAndDropsALineTheOrderLost() {
    assertSameRows(
        df(
            "order_id BIGINT, line_number INT, order_status STRING, gross_amount DECIMAL(15,2),"
                + " discount_amount DECIMAL(18,4), net_amount DECIMAL(18,4),"
                + " tax_amount DECIMAL(22,6), order_versions INT, is_deleted BOOLEAN,"
                + " deleted_at TIMESTAMP, booked_at TIMESTAMP",
            fact(
                1,
                1,
                "F",
                "1000.00",
                "100.0000",
                "900.0000",
                "45.000000",
                3,
                "1998-08-17",
                "1998-08-03"),
            fact(
                1,
                2,
                "F",
                "500.00",
                "20.0000",
                "480.0000",
                "24.000000",
                3,
                "1998-08-17",
                "1998-08-03"),
            fact(2, 1, "F", "100.00", "0.0000", "100.0000", "5.000000", 1, null, "1998-08-03"),
            fact(3, 1, "O", "200.00", "0.0000", "200.0000", "10.000000", 1, null, "1998-08-03"),
            fact(4, 1, "F", "10.00", "0.0000", "10.0000", "0.500000", 1, null, "1998-08-03"),
            fact(10, 1, "O", "300.00", "30.0000", "270.0000", "13.500000", 1, null, "1998-08-10"),
            fact(11, 1, "O", "40.00", "0.0000", "40.0000", "2.000000", 1, null, "1998-08-17"),
            fact(12, 1, "O", "60.00", "30.0000", "30.0000", "1.500000", 1, null, "1998-08-24")),
        table("gold", "fct_order_lines")
            .select(
                "order_id",
                "line_number",
                "order_status",
                "gross_amount",
                "discount_amount",
                "net_amount",
                "tax_amount",
                "order_versions",
                "is_deleted",
                "deleted_at",
                "booked_at"));
  }

  private static String fact(
      long order,
      int line,
      String status,
      String gross,
      String discount,
      String net,
      String tax,
      int versions,
      String deletedAt,
      String bookedAt) {
    return String.format(
        "{\"order_id\":%d,\"line_number\":%d,\"order_status\":\"%s\",\"gross_amount\":%s,"
            + "\"discount_amount\":%s,\"net_amount\":%s,\"tax_amount\":%s,\"order_versions\":%d,"
            + "\"is_deleted\":%s,\"deleted_at\":%s,\"booked_at\":\"%sT00:00:00Z\"}",
        order,
        line,
        status,
        gross,
        discount,
        net,
        tax,
        versions,
        deletedAt != null,
        deletedAt == null ? "null" : "\"" + deletedAt + "T00:00:00Z\"",
        bookedAt);
  }

  @Test
  void factsPointAtDimensionVersionsAndAnUnknownCustomerAtTheUnknownMember() {
    Row orphan = table("gold", "fct_order_lines").where(col("order_id").equalTo(4)).head();
    assertThat(orphan.<String>getAs("customer_key")).isEqualTo(Dimensions.UNKNOWN_KEY);
    Row known = table("gold", "fct_order_lines").where(col("order_id").equalTo(3)).head();
    Row customer = table("gold", "dim_customer").where(col("customer_id").equalTo(2)).head();
    assertThat(known.<String>getAs("customer_key")).isEqualTo(customer.getAs("customer_key"));
    assertThat(customer.<String>getAs("nation")).isEqualTo("CANADA");
    assertThat(customer.<String>getAs("region")).isEqualTo("AMERICA");
    assertThat(
            table("gold", "dim_customer")
                .where(col("customer_key").equalTo(Dimensions.UNKNOWN_KEY))
                .count())
        .isEqualTo(1);
    assertThat(known.<Integer>getAs("order_date_key")).isEqualTo(19980720);
  }

  @Test
  void gmvBookedForJulyIsUnchangedByTheDeleteWhileCancelledAndNetMove() {
    assertSameRows(
        df(
            ASOF,
            // Base load.
            figures("1998-08-03", "1998-05-01", "10.00", "0", "10", "0", 1, 0, 1),
            figures("1998-08-03", "1998-06-01", "150.00", "0", "150", "0", 1, 0, 2),
            figures("1998-08-03", "1998-07-01", "1700.00", "0", "1575", "0", 2, 0, 3),
            // Set 1: line 2 of order 1 corrected from 5% to 4% off; order 10 in August.
            figures("1998-08-10", "1998-05-01", "10.00", "0", "10", "0", 1, 0, 1),
            figures("1998-08-10", "1998-06-01", "150.00", "0", "150", "0", 1, 0, 2),
            figures("1998-08-10", "1998-07-01", "1700.00", "0", "1580", "0", 2, 0, 3),
            figures("1998-08-10", "1998-08-01", "300.00", "0", "270", "0", 1, 0, 1),
            // Set 2: order 1 deleted (July booked unchanged), order 2 loses line 2, order 11.
            figures("1998-08-17", "1998-05-01", "10.00", "0", "10", "0", 1, 0, 1),
            figures("1998-08-17", "1998-06-01", "100.00", "0", "100", "0", 1, 0, 1),
            figures("1998-08-17", "1998-07-01", "1700.00", "1500.00", "1580", "1380", 2, 1, 3),
            figures("1998-08-17", "1998-08-01", "340.00", "0", "310", "0", 2, 0, 2),
            // Set 3: order 1 deleted again changes nothing; order 12.
            figures("1998-08-24", "1998-05-01", "10.00", "0", "10", "0", 1, 0, 1),
            figures("1998-08-24", "1998-06-01", "100.00", "0", "100", "0", 1, 0, 1),
            figures("1998-08-24", "1998-07-01", "1700.00", "1500.00", "1580", "1380", 2, 1, 3),
            figures("1998-08-24", "1998-08-01", "400.00", "0", "340", "0", 3, 0, 3)),
        table("gold", "gmv_monthly_asof"));
    assertSameRows(
        table("gold", "gmv_monthly_asof")
            .where(col("as_of_date").equalTo(java.sql.Date.valueOf("1998-08-24")))
            .drop("as_of_date"),
        table("gold", "gmv_monthly"));
  }

  @Test
  void untypableRowsConflictingKeysAndDeletesOfUnknownOrdersAreQuarantinedWithAReason() {
    Row badOrder = table("silver", "orders_quarantine").head();
    assertThat(badOrder.<String>getAs("rule")).isEqualTo("o_orderdate_not_date");
    assertThat(badOrder.<String>getAs("reason")).contains("1998-13-45");
    Row badDelete = table("silver", "order_deletes_quarantine").head();
    assertThat(table("silver", "order_deletes_quarantine").count()).isEqualTo(1);
    assertThat(badDelete.<String>getAs("rule")).isEqualTo("delete_of_unknown_order");
    assertThat(badDelete.<String>getAs("reason"))
        .isEqualTo("order 999 was never delivered; delete of 1998-08-10");
    assertThat(badDelete.<String>getAs("_source_file")).endsWith("delete.1");
    assertThat(
            table("silver", "partsupp_quarantine")
                .where(col("rule").equalTo("conflicting_rows_for_key"))
                .select("reason")
                .distinct()
                .collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactly(
            "key [ps_partkey, ps_suppkey] = 2,1 has 2 different rows in the delivery of 1998-08-03");
    assertThat(table("silver", "partsupp_quarantine").count()).isEqualTo(2);
    assertThat(table("silver", "partsupp").select("ps_partkey", "ps_suppkey").collectAsList())
        .extracting(r -> r.getLong(0) + "," + r.getLong(1))
        .containsExactly("1,1");
  }

  @Test
  void eachRefreshRunRecomputesOnlyTheOrdersAndDatesItTouched() {
    // Set 1 touched orders 1 and 10; set 3 (first) orders 1 (deleted) and 12; set 2 (late) orders
    // 1 (deleted a week earlier), 2 and 11.
    assertThat(incrementalDetails.get(0))
        .contains("\"fct_order_lines_mode\":\"incremental\"", "\"fct_order_lines_recomputed\":2");
    assertThat(incrementalDetails.get(3)).contains("\"fct_order_lines_recomputed\":2");
    assertThat(incrementalDetails.get(6)).contains("\"fct_order_lines_recomputed\":3");
    // Set 3 adds one as-of date; late set 2 rewrites its own date and the one after it.
    assertThat(incrementalDetails.get(4))
        .contains("\"as_of_mode\":\"incremental\"", "\"as_of_dates_recomputed\":1");
    assertThat(incrementalDetails.get(7))
        .contains("\"as_of_mode\":\"incremental\"", "\"as_of_dates_recomputed\":2");
    assertThat(incrementalDetails.get(8)).contains("\"deliveries_applied_late\":[\"1998-08-17\"]");
  }

  @Test
  void aFullRefreshGivesTheSameTables() {
    List<String> compared =
        List.of(
            "silver/orders",
            "silver/lineitem",
            "gold/fct_order_lines",
            "gold/gmv_monthly",
            "gold/gmv_monthly_asof",
            "gold/dim_customer");
    List<List<Row>> before = new ArrayList<>();
    for (String name : compared) {
      String[] parts = name.split("/");
      before.add(table(parts[0], parts[1]).collectAsList());
    }
    assertThat(cli.run("pipeline", "--domain", "commerce", "--full-refresh"))
        .as(cli.err())
        .isEqualTo(0);
    for (int i = 0; i < compared.size(); i++) {
      String[] parts = compared.get(i).split("/");
      Dataset<Row> now = table(parts[0], parts[1]);
      assertSameRows(spark.createDataFrame(before.get(i), now.schema()), now);
    }
    // Every gold table reaches BigQuery (the real connector, the stand-in) with exactly its rows.
    assertThat(PublishToBigQuery.publishAndCompare(spark, cli, "commerce", path("bq-staging")))
        .hasSize(7);
  }
}
