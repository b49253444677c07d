package com.acme.warehouse.common.silver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class WatermarkTest {
  @Test
  void isAJsonObjectWithIntegersAsNumbersAndKeysInOrder() {
    Watermark mark =
        Watermark.parse(Optional.empty())
            .with("ingested", Optional.of("1716800000000000"))
            .with("delivery", Optional.of("2024-06-24"))
            .with("version", Optional.of("007"));

    assertThat(mark.orNull())
        .isEqualTo(
            "{\"delivery\":\"2024-06-24\",\"ingested\":1716800000000000,\"version\":\"007\"}");
    assertThat(Watermark.parse(Optional.of(mark.toString())).get("ingested"))
        .contains("1716800000000000");
    assertThat(Watermark.parse(Optional.of(mark.toString())).get("version")).contains("007");
  }

  @Test
  void readsTheKeyValueTextEarlierVersionsWrote() {
    Watermark old = Watermark.parse(Optional.of("ingested=1716800000000000;delivery=2024-06-24"));

    assertThat(old.get("ingested")).contains("1716800000000000");
    assertThat(old.get("delivery")).contains("2024-06-24");
    assertThat(old.get("missing")).isEmpty();
  }

  @Test
  void noMarkIsNullAndABrokenOneIsAnErrorQuotingIt() {
    assertThat(Watermark.parse(Optional.empty()).orNull()).isNull();
    assertThatThrownBy(() -> Watermark.parse(Optional.of("{\"ingested\":")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unreadable watermark '{\"ingested\":'");
  }
}
