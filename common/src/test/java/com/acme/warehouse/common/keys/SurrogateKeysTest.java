package com.acme.warehouse.common.keys;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.warehouse.common.testing.SparkTestBase;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The key function's promises. Known-answer vectors are SHA-256 of the canonical text, computed
 * outside Spark (e.g. {@code printf '42' | sha256sum}).
 */
class SurrogateKeysTest extends SparkTestBase {
  private static List<String> keys(Dataset<Row> frame, String... columns) {
    return frame.select(SurrogateKeys.key(frame, columns)).collectAsList().stream()
        .map(r -> r.getString(0))
        .collect(Collectors.toList());
  }

  @Test
  void knownAnswers() {
    assertThat(keys(df("id BIGINT", "{\"id\":42}"), "id"))
        .containsExactly("73475cb40a568e8da8a045ced110137e159f890ac4da883b6b17dc651b3a8049");
    assertThat(keys(df("d DATE", "{\"d\":\"2024-01-05\"}"), "d"))
        .containsExactly("be918546c42014f0c6f89c4a33820ea08af9a4c5e954f1bc1b6061b227bfd7b2");
    assertThat(keys(df("b BOOLEAN", "{\"b\":true}"), "b"))
        .containsExactly("b5bea41b6c623f7c09f1bf24dcae58ebab3c0cdd90ad966bc43a45b44867e12b");
    assertThat(
            keys(
                df("id BIGINT, at TIMESTAMP", "{\"id\":42,\"at\":\"2024-01-05T10:22:33.123456Z\"}"),
                "id",
                "at"))
        .containsExactly("77675439f087e85f3c09da5b5fba183fbbbe4711311691307fb41ec10a8b5893");
  }

  @Test
  void aNullHasAMarkerNoValueCanTake() {
    assertThat(keys(df("a STRING, b STRING", "{\"b\":\"x\"}"), "a", "b"))
        .containsExactly("12a4ee95993fb91720720b75c7f93e33ab06b7e035709e947dae0b7d2ef5ef29");
    // The text "\N" is escaped to "\\N", so it is not the NULL marker.
    assertThat(keys(df("a STRING, b STRING", "{\"a\":\"\\\\N\",\"b\":\"x\"}"), "a", "b"))
        .doesNotContain("12a4ee95993fb91720720b75c7f93e33ab06b7e035709e947dae0b7d2ef5ef29");
    assertThat(keys(df("a STRING", "{\"a\":\"\"}", "{}"), "a")).doesNotHaveDuplicates();
  }

  @Test
  void theDelimiterIsEscapedSoPartsCannotShift() {
    Dataset<Row> frame =
        df("a STRING, b STRING", "{\"a\":\"a|b\",\"b\":\"c\"}", "{\"a\":\"a\",\"b\":\"b|c\"}");

    assertThat(keys(frame, "a", "b"))
        .containsExactly(
            "dc8579419e586fc18daf377ed4afbfa7a913a7bf29a74d9cf3d61b3cf4f618cb",
            "99d628bf0b7bace8f616b5f5d85973a696d513fc84d48c091b6bc2a551de8074");
  }

  @Test
  void aNumberTypedFromTextKeysLikeTheNumber() {
    Dataset<Row> text =
        df("id STRING", "{\"id\":\"42\"}").select(col("id").cast("bigint").as("id"));
    Dataset<Row> integer = df("id INT", "{\"id\":42}");

    assertThat(keys(text, "id"))
        .isEqualTo(keys(integer, "id"))
        .isEqualTo(keys(df("id BIGINT", "{\"id\":42}"), "id"));
    assertThat(keys(text, "id").get(0))
        .isEqualTo("73475cb40a568e8da8a045ced110137e159f890ac4da883b6b17dc651b3a8049");
  }

  @Test
  void decimalsHaveNoTrailingZeroAmbiguity() {
    List<String> scaled = keys(df("d DECIMAL(10,2)", "{\"d\":1.50}"), "d");
    List<String> plain = keys(df("d DECIMAL(10,1)", "{\"d\":1.5}"), "d");

    assertThat(scaled)
        .isEqualTo(plain)
        .containsExactly("9f29a130438b81170b92a42650f9a94291ecad60bd47af2a3886e75f7f728725");
    assertThat(keys(df("d DECIMAL(10,2)", "{\"d\":2.00}"), "d"))
        .containsExactly("d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35");
    assertThat(keys(df("d DECIMAL(10,0)", "{\"d\":20}"), "d"))
        .isNotEqualTo(keys(df("d DECIMAL(10,0)", "{\"d\":2}"), "d"));
  }

  @Test
  void timestampsAreUtcInstantsWhateverTheSessionTimeZone() {
    Dataset<Row> frame = df("at TIMESTAMP", "{\"at\":\"2024-01-05T10:22:33Z\"}");
    List<String> utc = keys(frame, "at");
    String zone = spark.conf().get("spark.sql.session.timeZone");
    try {
      spark.conf().set("spark.sql.session.timeZone", "America/New_York");
      assertThat(keys(frame, "at")).isEqualTo(utc);
    } finally {
      spark.conf().set("spark.sql.session.timeZone", zone);
    }
    assertThat(utc)
        .containsExactly("f9a99b890719a19c3756ed9af77679221d61ffaed07438779e9ec9d187da2eb2");
    // The same instant written with an offset is the same key.
    assertThat(keys(df("at TIMESTAMP", "{\"at\":\"2024-01-05T11:22:33+01:00\"}"), "at"))
        .isEqualTo(utc);
  }

  @Test
  void negativeZeroIsZero() {
    assertThat(keys(df("x DOUBLE", "{\"x\":-0.0}"), "x"))
        .isEqualTo(keys(df("x DOUBLE", "{\"x\":0.0}"), "x"))
        .containsExactly("8aed642bf5118b9d3c859bd4be35ecac75b6e873cce34e7b6f554b06f75550d7");
  }

  @Test
  void nestedColumnsCannotBeKeys() {
    assertThatThrownBy(() -> SurrogateKeys.key(df("a ARRAY<STRING>", "{\"a\":[\"x\"]}"), "a"))
        .hasMessageContaining("column 'a' of type array<string> cannot be part of a key");
  }
}
