package com.acme.warehouse.jobs.commerce;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Orders and lines that cannot take their place in history go to quarantine with a reason, and the
 * rest of the delivery is applied: the job no longer stops until someone edits the file. The base
 * load (1998-08-03) has order 3 twice with different statuses and line (2,2) twice with different
 * prices; an order file sits in {@code dt=latest}, which is no date. The base orders file is then
 * re-sent with order 1 changed but under the same date (a correction without a new delivery), next
 * to the refresh set of 1998-08-10, which re-delivers order 1 with its line 2 twice, differently.
 */
class OrderConflictsTest extends SparkTestBase {
  private static final String BASE = "commerce/base/dt=1998-08-03/";
  private static final String SET = "commerce/refresh/dt=1998-08-10/";

  private static JobsCli cli;
  private static String firstRunDetails;
  private static Row secondRun;

  @BeforeAll
  static void runBaseThenACorrectionAndARefreshSet() throws IOException {
    Path raw = tempDir.resolve("orders-raw");
    write(raw, BASE + "orders.tbl", order(1, "O"), order(2, "O"), order(3, "O"), order(3, "F"));
    write(
        raw,
        BASE + "lineitem.tbl",
        line(1, 1, "10.00"),
        line(1, 2, "20.00"),
        line(2, 1, "30.00"),
        line(2, 2, "40.00"),
        line(2, 2, "41.00"));
    write(raw, "commerce/base/dt=latest/orders.tbl", order(7, "O"));
    cli = new JobsCli(spark, raw.toString(), tempDir.resolve("orders-wh").toString());
    runOrders();
    firstRunDetails = lastRun().getAs("details");

    write(raw, BASE + "orders.tbl", order(1, "F"), order(2, "O"));
    write(raw, SET + "orders.tbl.u1", order(1, "P"), order(2, "F"));
    write(
        raw,
        SET + "lineitem.tbl.u1",
        line(1, 1, "10.00"),
        line(1, 2, "21.00"),
        line(1, 2, "22.00"),
        line(2, 1, "30.00"));
    runOrders();
    secondRun = lastRun();
  }

  private static void runOrders() {
    for (String job :
        List.of(
            "commerce-bronze-orders",
            "commerce-bronze-lineitem",
            "commerce-bronze-order-deletes",
            "commerce-silver-orders")) {
      assertThat(cli.run(job)).as(cli.err()).isEqualTo(0);
    }
  }

  private static Row lastRun() {
    return cli.runLog()
        .where(col("job").equalTo("commerce-silver-orders"))
        .orderBy(col("start_time").desc())
        .head();
  }

  @Test
  void eachOrderKeepsOnlyTheVersionsThatCouldBeTrusted() {
    assertThat(
            versions("orders", "o_orderkey", "o_orderstatus")
                .orderBy("o_orderkey", "valid_from")
                .collectAsList())
        .extracting(r -> r.mkString(" "))
        .containsExactly(
            "1 O 1998-08-03 false",
            "1 P 1998-08-10 true",
            "2 O 1998-08-03 false",
            "2 F 1998-08-10 true");
  }

  @Test
  void aQuarantinedLineOfAReDeliveryIsNotClosedAsDropped() {
    assertThat(
            versions("lineitem", "l_orderkey", "l_linenumber", "l_extendedprice")
                .where(col("is_current"))
                .orderBy("l_orderkey", "l_linenumber")
                .collectAsList())
        .extracting(r -> r.mkString(" "))
        .containsExactly(
            "1 1 10.00 1998-08-03 true", "1 2 20.00 1998-08-03 true", "2 1 30.00 1998-08-03 true");
    assertThat(cli.runLog().where(col("job").equalTo("commerce-silver-orders")).count())
        .isEqualTo(2);
  }

  @Test
  void conflictsAndAnUndatedDeliveryAreQuarantinedWithTheirReason() {
    assertThat(quarantine("orders_quarantine"))
        .containsExactly(
            "commerce/base/dt=1998-08-03/orders.tbl:1 conflicting_version o_orderkey 1 at"
                + " delivered_at 1998-08-03T00:00:00.000000Z differs from the version already in"
                + " silver (a correction needs a new delivered_at)",
            "commerce/base/dt=1998-08-03/orders.tbl:3 conflicting_version o_orderkey 3 at"
                + " delivered_at 1998-08-03T00:00:00.000000Z has 2 different rows",
            "commerce/base/dt=1998-08-03/orders.tbl:4 conflicting_version o_orderkey 3 at"
                + " delivered_at 1998-08-03T00:00:00.000000Z has 2 different rows",
            "commerce/base/dt=latest/orders.tbl:1 delivery_date_missing"
                + " 'commerce/base/dt=latest/orders.tbl' is not in a dt=YYYY-MM-DD delivery"
                + " folder: a refresh set takes effect at its folder's date");
    assertThat(quarantine("lineitem_quarantine"))
        .containsExactly(
            "commerce/base/dt=1998-08-03/lineitem.tbl:4 conflicting_version"
                + " l_orderkey,l_linenumber 2,2 at delivered_at 1998-08-03T00:00:00.000000Z has 2"
                + " different rows",
            "commerce/base/dt=1998-08-03/lineitem.tbl:5 conflicting_version"
                + " l_orderkey,l_linenumber 2,2 at delivered_at 1998-08-03T00:00:00.000000Z has 2"
                + " different rows",
            "commerce/refresh/dt=1998-08-10/lineitem.tbl.u1:2 conflicting_version"
                + " l_orderkey,l_linenumber 1,2 at delivered_at 1998-08-10T00:00:00.000000Z has 2"
                + " different rows",
            "commerce/refresh/dt=1998-08-10/lineitem.tbl.u1:3 conflicting_version"
                + " l_orderkey,l_linenumber 1,2 at delivered_at 1998-08-10T00:00:00.000000Z has 2"
                + " different rows");
  }

  @Test
  void theRunLogCountsWhatWasQuarantined() {
    assertThat(firstRunDetails).contains("\"quarantine_rows_new\":5");
    // The second run read the re-sent base file (2 orders) and the set (2 orders, 4 lines).
    assertThat(secondRun.<Long>getAs("rows_read")).isEqualTo(8);
    assertThat(secondRun.<Long>getAs("rows_quarantined")).isEqualTo(3);
    assertThat(secondRun.<String>getAs("details")).contains("\"quarantine_rows_new\":3");
  }

  private static Dataset<Row> versions(String table, String... columns) {
    List<Column> shown = new ArrayList<>();
    for (String column : columns) {
      shown.add(col(column));
    }
    shown.add(col("valid_from").cast("date").cast("string").as("valid_from"));
    shown.add(col("is_current"));
    return spark
        .read()
        .format("delta")
        .load(cli.location("silver", "commerce", table))
        .select(shown.toArray(new Column[0]));
  }

  /** Each quarantined row as "file:line rule reason", file names relative to the raw folder. */
  private static List<String> quarantine(String table) {
    Dataset<Row> rows =
        spark.read().format("delta").load(cli.location("silver", "commerce", table));
    return rows.orderBy("_source_file", "_line_number")
        .select(
            regexp_replace(
                concat_ws(
                    " ",
                    concat(col("_source_file"), lit(":"), col("_line_number")),
                    col("rule"),
                    col("reason")),
                "[^ ']*orders-raw/",
                ""))
        .as(Encoders.STRING())
        .collectAsList();
  }

  private static String order(long key, String status) {
    return key + "|1|" + status + "|1.00|1998-07-15|1-URGENT|Clerk#1|0|c|";
  }

  private static String line(long order, int number, String price) {
    return order
        + "|1|1|"
        + number
        + "|1.00|"
        + price
        + "|0.00|0.05|N|O|1998-09-01|1998-09-01|"
        + "1998-09-02|NONE|AIR|c|";
  }

  private static void write(Path raw, String relative, String... lines) throws IOException {
    Path file = raw.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }
}
