package com.acme.warehouse.common.silver;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Typing never turns a value into another one: a fractional, oversized or non-scalar id and money
 * with more decimals than its type read as failed casts (quarantined with a reason), not as a
 * nearby number; instants from year 1 to 9999 are stored and read back as they are.
 */
class CastTest extends SparkTestBase {
  private List<Row> typed(Dataset<Row> raw, org.apache.spark.sql.Column typed) {
    return raw.select(col("v"), typed.as("typed"), Cast.failed(col("v"), typed).as("failed"))
        .orderBy("v")
        .collectAsList();
  }

  private static String line(Row row) {
    return row.get(0) + " -> " + row.get(1) + (row.getBoolean(2) ? " (failed)" : "");
  }

  @Test
  void wholeNumbersAreReadOnlyFromWholeNumbers() {
    Dataset<Row> raw =
        df(
            "v STRING",
            "{\"v\":\"3000000806\"}",
            "{\"v\":\"3000000806.9\"}",
            "{\"v\":\"-42\"}",
            "{\"v\":\"+7\"}",
            "{\"v\":\"42.0\"}",
            "{\"v\":\"9223372036854775807\"}",
            "{\"v\":\"9223372036854775808\"}",
            "{\"v\":\"1e3\"}",
            "{\"v\":\"[1,2]\"}",
            "{\"v\":\" 12 \"}",
            "{\"v\":\"\"}");

    assertThat(typed(raw, Cast.bigint(col("v"))))
        .extracting(CastTest::line)
        .containsExactly(
            " -> null",
            " 12  -> 12",
            "+7 -> 7",
            "-42 -> -42",
            "1e3 -> null (failed)",
            "3000000806 -> 3000000806",
            "3000000806.9 -> null (failed)",
            "42.0 -> 42",
            "9223372036854775807 -> 9223372036854775807",
            "9223372036854775808 -> null (failed)",
            "[1,2] -> null (failed)");
    assertThat(typed(raw, Cast.to(col("v"), "int")))
        .extracting(CastTest::line)
        .contains("3000000806 -> null (failed)", "-42 -> -42", "3000000806.9 -> null (failed)");
  }

  @Test
  void aMissingValueHasAReasonToo() {
    Dataset<Row> raw = df("v STRING", "{\"v\":null}", "{\"v\":\"  \"}", "{\"v\":\"x\"}");

    assertThat(raw.select(Cast.reason("user_id", col("v"), "a whole number")).collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder(
            "user_id is missing", "user_id is missing", "user_id 'x' is not a whole number");
  }

  @Test
  void moneyWithMoreDecimalsThanItsTypeIsNotRounded() {
    Dataset<Row> raw =
        df(
            "v STRING",
            "{\"v\":\"1.005\"}",
            "{\"v\":\"1.50\"}",
            "{\"v\":\"1.500\"}",
            "{\"v\":\"-0.25\"}",
            "{\"v\":\".5\"}",
            "{\"v\":\"12345678901\"}",
            "{\"v\":\"7\"}",
            "{\"v\":\"1,5\"}");

    assertThat(typed(raw, Cast.to(col("v"), "decimal(10,2)")))
        .extracting(CastTest::line)
        .containsExactly(
            "-0.25 -> -0.25",
            ".5 -> 0.50",
            "1,5 -> null (failed)",
            "1.005 -> null (failed)",
            "1.50 -> 1.50",
            "1.500 -> 1.50",
            "12345678901 -> null (failed)",
            "7 -> 7.00");
    assertThat(typed(raw, Cast.decimal(col("v"), 12, 0)))
        .extracting(CastTest::line)
        .contains("7 -> 7", "1.50 -> null (failed)", "12345678901 -> 12345678901");
    assertThat(raw.select(Cast.to(col("v"), "decimal(10,2)")).schema().fields()[0].dataType())
        .hasToString("DecimalType(10,2)");
    assertThat(new BigDecimal("1.50")).isEqualByComparingTo("1.5");
  }

  @Test
  void instantsFromYearOneToYear9999AreStoredAsTheyAre() {
    Dataset<Row> raw =
        df(
            "v STRING",
            "{\"v\":\"0001-01-01T00:00:00Z\"}",
            "{\"v\":\"1899-12-31T23:59:59Z\"}",
            "{\"v\":\"1582-10-10T12:00:00Z\"}",
            "{\"v\":\"9999-12-31T23:59:59.999999Z\"}");
    String table = path("instants");
    raw.select(col("v"), Cast.timestamp(col("v")).as("t")).write().format("delta").save(table);

    List<Row> back =
        spark
            .read()
            .format("delta")
            .load(table)
            .selectExpr("v", "date_format(t, \"yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'\")")
            .orderBy("v")
            .collectAsList();
    assertThat(back)
        .extracting(r -> r.getString(0) + " -> " + r.getString(1))
        .containsExactly(
            "0001-01-01T00:00:00Z -> 0001-01-01T00:00:00.000000Z",
            "1582-10-10T12:00:00Z -> 1582-10-10T12:00:00.000000Z",
            "1899-12-31T23:59:59Z -> 1899-12-31T23:59:59.000000Z",
            "9999-12-31T23:59:59.999999Z -> 9999-12-31T23:59:59.999999Z");
  }
}
