package com.acme.warehouse.common.gold;

import static org.apache.spark.sql.functions.col;

import com.acme.warehouse.common.testing.SparkTestBase;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The early-facts policy: a fact older than its key's first version gets that version when the
 * history starts at a delivery ({@link Dimensions#fromBeginning}), and the unknown member when it
 * starts at a business time; a fact at a version's boundary gets the version that starts there.
 */
class EarlyFactsTest extends SparkTestBase {
  private static final String VERSIONS =
      "id INT, valid_from TIMESTAMP, valid_to TIMESTAMP, version_key STRING";

  private static Dataset<Row> versions() {
    return df(
        VERSIONS,
        "{\"id\":1,\"valid_from\":\"2024-01-01T00:00:00Z\",\"valid_to\":\"2024-02-01T00:00:00Z\","
            + "\"version_key\":\"v1a\"}",
        "{\"id\":1,\"valid_from\":\"2024-02-01T00:00:00Z\",\"version_key\":\"v1b\"}",
        "{\"id\":2,\"valid_from\":\"2024-03-01T00:00:00Z\",\"version_key\":\"v2\"}");
  }

  private static Dataset<Row> facts() {
    return df(
        "fact STRING, id INT, at TIMESTAMP",
        "{\"fact\":\"before the first version\",\"id\":1,\"at\":\"2023-06-01T00:00:00Z\"}",
        "{\"fact\":\"at the boundary\",\"id\":1,\"at\":\"2024-02-01T00:00:00Z\"}",
        "{\"fact\":\"key never seen\",\"id\":3,\"at\":\"2024-02-01T00:00:00Z\"}");
  }

  private static Dataset<Row> keyed(Dataset<Row> dimension) {
    return Dimensions.keyAt(facts(), "id", col("at"), dimension, "id", "version_key", "key")
        .select("fact", "key");
  }

  @Test
  void aHistoryStartingAtADeliveryReachesBackAndOneStartingAtABusinessTimeDoesNot() {
    String unknown = Dimensions.UNKNOWN_KEY;
    assertSameRows(
        df(
            "fact STRING, key STRING",
            "{\"fact\":\"before the first version\",\"key\":\"v1a\"}",
            "{\"fact\":\"at the boundary\",\"key\":\"v1b\"}",
            "{\"fact\":\"key never seen\",\"key\":\"" + unknown + "\"}"),
        keyed(Dimensions.fromBeginning(versions(), "id")));
    assertSameRows(
        df(
            "fact STRING, key STRING",
            "{\"fact\":\"before the first version\",\"key\":\"" + unknown + "\"}",
            "{\"fact\":\"at the boundary\",\"key\":\"v1b\"}",
            "{\"fact\":\"key never seen\",\"key\":\"" + unknown + "\"}"),
        keyed(versions()));
  }
}
