package com.acme.warehouse.common.gold;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A dimension before and after a change, and facts keyed to it: the facts {@link MovedMembers}
 * names are exactly those at or after each member's move, and they include every fact whose key or
 * version values differ between the two dimensions.
 */
class MovedMembersTest extends SparkTestBase {
  private static final String DIMENSION =
      "id STRING, version_key STRING, sla INT, valid_from TIMESTAMP, valid_to TIMESTAMP,"
          + " is_current BOOLEAN";

  private static String version(String id, String key, int sla, String from, String to) {
    return "{\"id\":\""
        + id
        + "\",\"version_key\":\""
        + key
        + "\",\"sla\":"
        + sla
        + ",\"valid_from\":\""
        + from
        + "\""
        + (to == null ? "" : ",\"valid_to\":\"" + to + "\"")
        + ",\"is_current\":"
        + (to == null)
        + "}";
  }

  private static final String DEC = "2023-12-01T00:00:00Z";

  private static Dataset<Row> before() {
    return df(
        DIMENSION,
        // a: the usual change is coming, the current version closes and a new one opens.
        version("a", "a1", 300, DEC, null),
        // b: its only version's value is corrected in place.
        version("b", "b1", 60, DEC, null),
        // c: its second version is withdrawn and the first reopens.
        version("c", "c1", 10, DEC, "2024-01-20T00:00:00Z"),
        version("c", "c2", 20, "2024-01-20T00:00:00Z", null),
        // e: unchanged.
        version("e", "e1", 5, DEC, null),
        // f: its current version closes with no successor.
        version("f", "f1", 7, DEC, null));
  }

  private static Dataset<Row> after() {
    return df(
        DIMENSION,
        version("a", "a1", 300, DEC, "2024-01-10T00:00:00Z"),
        version("a", "a2", 600, "2024-01-10T00:00:00Z", null),
        version("b", "b1", 90, DEC, null),
        version("c", "c1", 10, DEC, null),
        version("e", "e1", 5, DEC, null),
        version("f", "f1", 7, DEC, "2024-01-25T00:00:00Z"));
  }

  private static Dataset<Row> facts() {
    return df(
        "fact STRING, id STRING, at TIMESTAMP",
        "{\"fact\":\"a before the move\",\"id\":\"a\",\"at\":\"2024-01-09T23:59:59Z\"}",
        "{\"fact\":\"a at the move\",\"id\":\"a\",\"at\":\"2024-01-10T00:00:00Z\"}",
        "{\"fact\":\"a after the move\",\"id\":\"a\",\"at\":\"2024-02-01T00:00:00Z\"}",
        "{\"fact\":\"b before any version\",\"id\":\"b\",\"at\":\"2023-11-01T00:00:00Z\"}",
        "{\"fact\":\"b in the corrected version\",\"id\":\"b\",\"at\":\"2023-12-05T00:00:00Z\"}",
        "{\"fact\":\"c in the first version\",\"id\":\"c\",\"at\":\"2024-01-19T00:00:00Z\"}",
        "{\"fact\":\"c in the withdrawn version\",\"id\":\"c\",\"at\":\"2024-01-21T00:00:00Z\"}",
        "{\"fact\":\"e\",\"id\":\"e\",\"at\":\"2024-01-15T00:00:00Z\"}",
        "{\"fact\":\"f while open\",\"id\":\"f\",\"at\":\"2024-01-24T00:00:00Z\"}",
        "{\"fact\":\"f after it closed\",\"id\":\"f\",\"at\":\"2024-01-26T00:00:00Z\"}");
  }

  /** The facts keyed at their time, with the version's value. */
  private static Dataset<Row> keyed(Dataset<Row> dimension) {
    Dataset<Row> keyed =
        Dimensions.keyAt(facts(), "id", col("at"), dimension, "id", "version_key", "key");
    return keyed
        .join(
            dimension.select(col("version_key").as("_version"), col("sla")),
            col("key").equalTo(col("_version")),
            "left")
        .select("fact", "key", "sla");
  }

  @Test
  void onlyTheFactsAtOrAfterAMemberMovedAreNamedAndEveryFactThatChangedIsAmongThem() {
    // What the change feed's net changes hold: every row removed or added, alike.
    Dataset<Row> changed = before().except(after()).union(after().except(before()));
    Dataset<Row> moved = MovedMembers.since(changed, "id");
    assertSameRows(
        df(
            MovedMembers.ID + " STRING, " + MovedMembers.SINCE + " TIMESTAMP",
            "{\"moved_id\":\"a\",\"moved_since\":\"2024-01-10T00:00:00Z\"}",
            "{\"moved_id\":\"b\",\"moved_since\":\"" + DEC + "\"}",
            "{\"moved_id\":\"c\",\"moved_since\":\"2024-01-20T00:00:00Z\"}",
            "{\"moved_id\":\"f\",\"moved_since\":\"2024-01-25T00:00:00Z\"}"),
        moved);

    List<String> named =
        MovedMembers.rowsOf(facts(), col("id"), col("at"), moved)
            .select("fact")
            .as(Encoders.STRING())
            .collectAsList();
    assertThat(named)
        .containsExactlyInAnyOrder(
            "a at the move",
            "a after the move",
            "b in the corrected version",
            "c in the withdrawn version",
            "f after it closed");
    List<String> differing =
        keyed(after()).except(keyed(before())).select("fact").as(Encoders.STRING()).collectAsList();
    assertThat(differing).isNotEmpty();
    assertThat(named).containsAll(differing);
  }

  @Test
  void aMemberWhoseRowsChangedOnlyInTheCurrentFlagDidNotMove() {
    Dataset<Row> changed =
        df(
            DIMENSION,
            version("d", "d1", 1, DEC, null),
            "{\"id\":\"d\",\"version_key\":\"d1\",\"sla\":1,\"valid_from\":\""
                + DEC
                + "\",\"is_current\":false}");
    assertThat(MovedMembers.since(changed, "id").count()).isZero();
  }
}
