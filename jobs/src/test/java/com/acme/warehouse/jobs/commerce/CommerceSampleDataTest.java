package com.acme.warehouse.jobs.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation: the commerce pipeline over generated scale-1 sample data (base load and every
 * refresh set) against money summed straight from the raw {@code .tbl} files by the plain Java
 * below, written without any of the pipeline's code: per order month, gross and net (after
 * discount) booked and cancelled must agree to the cent (net to the fourth place). Scale: {@code
 * -Dcommerce.sample.scale} (default 1).
 */
class CommerceSampleDataTest extends SparkTestBase {
  private static final double SCALE =
      Double.parseDouble(System.getProperty("commerce.sample.scale", "1"));

  private static JobsCli cli;
  private static Path raw;

  @BeforeAll
  static void runPipelineOnSampleData() {
    raw = tempDir.resolve("commerce-sample-raw");
    cli = new JobsCli(spark, raw.toString(), tempDir.resolve("commerce-sample-wh").toString());
    assertThat(
            cli.run(
                "generate-sample-data",
                "--scale",
                Double.toString(SCALE),
                "--seed",
                "5",
                "--set",
                "sample-data.domains=[commerce]"))
        .as(cli.err())
        .isEqualTo(0);
    assertThat(cli.run("pipeline", "--domain", "commerce")).as(cli.err()).isEqualTo(0);
  }

  /** Money per order month from the raw files: gross cents and net in ten-thousandths. */
  private static final class Month {
    long grossBooked;
    long grossCancelled;
    long netBooked;
    long netCancelled;
  }

  /** One line as the raw file says: gross in cents, net = gross × (1 − discount) ×10⁴. */
  private static long[] money(String[] fields) {
    long gross = new BigDecimal(fields[5]).movePointRight(2).longValueExact();
    long discountPercent = new BigDecimal(fields[6]).movePointRight(2).longValueExact();
    return new long[] {gross, gross * (100 - discountPercent)};
  }

  private static Map<String, Month> fromRawFiles() throws IOException {
    List<Path> deliveries = new ArrayList<>();
    try (Stream<Path> base = Files.list(raw.resolve("commerce/base"));
        Stream<Path> refresh = Files.list(raw.resolve("commerce/refresh"))) {
      deliveries.addAll(base.collect(Collectors.toList()));
      deliveries.addAll(refresh.collect(Collectors.toList()));
    }
    deliveries.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    Map<Long, String> monthOfOrder = new HashMap<>();
    Map<Long, List<long[]>> linesOfOrder = new HashMap<>();
    Set<Long> deleted = new HashSet<>();
    for (Path delivery : deliveries) {
      for (Path file : files(delivery, "orders.tbl")) {
        for (String[] f : rows(file)) {
          monthOfOrder.put(Long.parseLong(f[0]), f[4].substring(0, 7));
        }
      }
      // A delivery brings an order's complete set of lines.
      Map<Long, List<long[]>> delivered = new HashMap<>();
      for (Path file : files(delivery, "lineitem.tbl")) {
        for (String[] f : rows(file)) {
          delivered.computeIfAbsent(Long.parseLong(f[0]), k -> new ArrayList<>()).add(money(f));
        }
      }
      linesOfOrder.putAll(delivered);
      for (Path file : files(delivery, "delete.")) {
        for (String[] f : rows(file)) {
          long key = Long.parseLong(f[0]);
          if (monthOfOrder.containsKey(key)) {
            deleted.add(key);
          }
        }
      }
    }
    Map<String, Month> months = new TreeMap<>();
    for (Map.Entry<Long, List<long[]>> order : linesOfOrder.entrySet()) {
      Month month = months.computeIfAbsent(monthOfOrder.get(order.getKey()), k -> new Month());
      for (long[] line : order.getValue()) {
        month.grossBooked += line[0];
        month.netBooked += line[1];
        if (deleted.contains(order.getKey())) {
          month.grossCancelled += line[0];
          month.netCancelled += line[1];
        }
      }
    }
    return months;
  }

  private static List<Path> files(Path delivery, String prefix) throws IOException {
    try (Stream<Path> files = Files.list(delivery)) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .collect(Collectors.toList());
    }
  }

  private static List<String[]> rows(Path file) throws IOException {
    List<String[]> rows = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (!line.isEmpty()) {
          rows.add(line.split("\\|", -1));
        }
      }
    }
    return rows;
  }

  @Test
  void goldGrossAndNetPerMonthEqualTheRawFilesToTheCent() throws IOException {
    Map<String, Month> expected = fromRawFiles();
    Map<String, Row> actual = new TreeMap<>();
    for (Row row :
        spark
            .read()
            .format("delta")
            .load(cli.location("gold", "commerce", "gmv_monthly"))
            .collectAsList()) {
      actual.put(row.getDate(row.fieldIndex("order_month")).toString().substring(0, 7), row);
    }

    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    long cancelledMonths = 0;
    for (Map.Entry<String, Month> month : expected.entrySet()) {
      Row row = actual.get(month.getKey());
      Month want = month.getValue();
      assertThat(cents(row, "gmv_booked")).as(month.getKey()).isEqualTo(want.grossBooked);
      assertThat(cents(row, "gmv_cancelled")).as(month.getKey()).isEqualTo(want.grossCancelled);
      assertThat(cents(row, "gmv_net"))
          .as(month.getKey())
          .isEqualTo(want.grossBooked - want.grossCancelled);
      assertThat(tenThousandths(row, "revenue_booked"))
          .as(month.getKey())
          .isEqualTo(want.netBooked);
      assertThat(tenThousandths(row, "revenue_cancelled"))
          .as(month.getKey())
          .isEqualTo(want.netCancelled);
      cancelledMonths += want.grossCancelled > 0 ? 1 : 0;
    }
    assertThat(cancelledMonths).as("the sample data deletes orders").isPositive();
  }

  @Test
  void theBaseLoadAsOfItsDeliveryMatchesTheGeneratorsTotal() throws IOException {
    long baseGross =
        new ObjectMapper()
            .readTree(raw.resolve("commerce/_truth.json").toFile())
            .get("totals")
            .get("base_gross_cents")
            .asLong();
    String baseDate;
    try (Stream<Path> base = Files.list(raw.resolve("commerce/base"))) {
      baseDate = base.findFirst().orElseThrow().getFileName().toString().substring(3);
    }
    Row total =
        spark
            .read()
            .format("delta")
            .load(cli.location("gold", "commerce", "gmv_monthly_asof"))
            .where("as_of_date = DATE'" + baseDate + "'")
            .agg(org.apache.spark.sql.functions.sum("gmv_booked"))
            .head();

    assertThat(total.getDecimal(0).movePointRight(2).longValueExact()).isEqualTo(baseGross);
  }

  private static long cents(Row row, String column) {
    return row.getDecimal(row.fieldIndex(column)).movePointRight(2).longValueExact();
  }

  private static long tenThousandths(Row row, String column) {
    return row.getDecimal(row.fieldIndex(column)).movePointRight(4).longValueExact();
  }
}
