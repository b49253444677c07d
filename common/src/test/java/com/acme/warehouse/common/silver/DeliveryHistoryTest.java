package com.acme.warehouse.common.silver;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.scd.ScdSpec;
import com.acme.warehouse.common.testing.SparkTestBase;
import java.time.LocalDate;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Full exports applied all at once equal the same exports applied one run each, deletes and
 * revivals included, and a late export adds history without deleting.
 */
class DeliveryHistoryTest extends SparkTestBase {
  private static final String DDL = "id INT, name STRING, delivered DATE";

  private static Dataset<Row> exports(String... rows) {
    return df(DDL, rows);
  }

  private static String row(int id, String name, String delivered) {
    return "{\"id\":" + id + ",\"name\":\"" + name + "\",\"delivered\":\"" + delivered + "\"}";
  }

  private static ScdSpec.Builder history() {
    return ScdSpec.builder("id").check().deletionVectors(false);
  }

  private static final String[] E1 = {
    row(1, "A", "2024-01-01"), row(2, "B", "2024-01-01"), row(3, "C", "2024-01-01")
  };
  // 1 changes, 2 is missing (deleted as of 01-08).
  private static final String[] E2 = {row(1, "A2", "2024-01-08"), row(3, "C", "2024-01-08")};
  // 2 is back (a new version as of 01-15), 3 is missing (deleted as of 01-15).
  private static final String[] E3 = {row(1, "A2", "2024-01-15"), row(2, "B", "2024-01-15")};
  // Delivered late: older than every export above. Adds history, deletes nothing.
  private static final String[] LATE = {row(1, "Z", "2023-12-25"), row(4, "D", "2023-12-25")};

  @Test
  void threeExportsInOneRunEqualOneRunPerExportWithDeletesRevivalsAndALateExport() {
    String once = path("once");
    DeliveryHistory.Outcome all =
        DeliveryHistory.apply(
            spark,
            exports(concat(E1, E2, E3)),
            "delivered",
            once,
            history(),
            true,
            Optional.empty());
    assertThat(all.applied).containsExactly("2024-01-01", "2024-01-08", "2024-01-15");
    assertThat(all.deletes).isEqualTo(2);
    assertThat(all.last).contains(LocalDate.parse("2024-01-15"));

    String oneByOne = path("one-by-one");
    Optional<LocalDate> last = Optional.empty();
    long deletes = 0;
    for (String[] export : new String[][] {E1, E2, E3}) {
      DeliveryHistory.Outcome outcome =
          DeliveryHistory.apply(
              spark, exports(export), "delivered", oneByOne, history(), true, last);
      last = outcome.last;
      deletes += outcome.deletes;
    }
    assertThat(deletes).isEqualTo(2);
    assertSameRows(table(once), table(oneByOne));
    assertSameRows(
        df(
            "id INT, name STRING, valid_from TIMESTAMP, valid_to TIMESTAMP, is_current BOOLEAN,"
                + " is_deleted BOOLEAN",
            version(1, "A", "2024-01-01", "2024-01-08", false),
            version(1, "A2", "2024-01-08", null, false),
            version(2, "B", "2024-01-01", "2024-01-08", false),
            version(2, "B", "2024-01-08", "2024-01-15", true),
            version(2, "B", "2024-01-15", null, false),
            version(3, "C", "2024-01-01", "2024-01-15", false),
            version(3, "C", "2024-01-15", null, true)),
        table(once).drop("version_key"));

    for (String target : new String[] {once, oneByOne}) {
      DeliveryHistory.Outcome late =
          DeliveryHistory.apply(spark, exports(LATE), "delivered", target, history(), true, last);
      assertThat(late.appliedLate).containsExactly("2023-12-25");
      assertThat(late.applied).isEmpty();
      assertThat(late.deletes).isZero();
      assertThat(late.last).isEqualTo(last);
    }
    assertSameRows(table(once), table(oneByOne));
    assertThat(table(once).where("id = 1 AND name = 'Z'").count()).isEqualTo(1);
    assertThat(table(once).where("id = 4 AND is_current AND NOT is_deleted").count()).isEqualTo(1);
  }

  @Test
  void theDaysExportResentCompleteAfterAPartialOneTakesBackTheDeletesItContradicts() {
    // The reference: the complete export of 01-08 applied after 01-01's.
    String reference = path("reference");
    Optional<LocalDate> last =
        DeliveryHistory.apply(
                spark, exports(E1), "delivered", reference, history(), true, Optional.empty())
            .last;
    DeliveryHistory.apply(spark, exports(E2), "delivered", reference, history(), true, last);

    // 01-08's export first arrives cut short (only key 1): keys 2 and 3 look deleted as of 01-08.
    String partialFirst = path("partial-first");
    DeliveryHistory.apply(
        spark, exports(E1), "delivered", partialFirst, history(), true, Optional.empty());
    DeliveryHistory.Outcome partial =
        DeliveryHistory.apply(
            spark, exports(E2[0]), "delivered", partialFirst, history(), true, last);
    assertThat(partial.deletes).isEqualTo(2);
    // Then the whole export of 01-08 again: key 3 is in it, so it was never deleted.
    DeliveryHistory.Outcome complete =
        DeliveryHistory.apply(
            spark, exports(E2), "delivered", partialFirst, history(), true, partial.last);
    assertThat(complete.appliedLate).containsExactly("2024-01-08");
    assertThat(complete.deletesTakenBack).isEqualTo(1);
    assertThat(complete.last).contains(LocalDate.parse("2024-01-08"));
    assertSameRows(table(reference), table(partialFirst));

    // The next export finds the same history either way; re-sending 01-08 again changes nothing.
    for (String target : new String[] {reference, partialFirst}) {
      DeliveryHistory.apply(spark, exports(E3), "delivered", target, history(), true, partial.last);
    }
    assertSameRows(table(reference), table(partialFirst));
    DeliveryHistory.Outcome again =
        DeliveryHistory.apply(
            spark,
            exports(E3),
            "delivered",
            partialFirst,
            history(),
            true,
            Optional.of(LocalDate.parse("2024-01-15")));
    assertThat(again.deletesTakenBack).isZero();
    assertSameRows(table(reference), table(partialFirst));
  }

  private static String version(int id, String name, String from, String to, boolean deleted) {
    return "{\"id\":"
        + id
        + ",\"name\":\""
        + name
        + "\",\"valid_from\":\""
        + from
        + "T00:00:00Z\","
        + (to == null ? "" : "\"valid_to\":\"" + to + "T00:00:00Z\",")
        + "\"is_current\":"
        + (to == null)
        + ",\"is_deleted\":"
        + deleted
        + "}";
  }

  private static Dataset<Row> table(String location) {
    return spark.read().format("delta").load(location);
  }

  private static String[] concat(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }
}
