package com.acme.warehouse.common.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.ConfigReader;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

/** Each check type's required keys: a declaration missing one is a problem naming the key. */
class CheckSpecTest {
  private static ConfigReader quality(String checks) {
    return new ConfigReader(
            ConfigFactory.parseString(
                    "quality { sample-size = 5, anomalies { window = 10, min-history = 5, k = 3.5,"
                        + " min-relative-spread = 0.01, row-counts = false } }\n"
                        + "quality.tables.\"silver.shop.t\".checks = "
                        + checks)
                .resolve())
        .at("quality");
  }

  @Test
  void aCheckMissingWhatItsTypeNeedsIsAProblemAtThatKey() {
    ConfigReader quality =
        quality(
            "[{type = not_null}, {type = accepted_values, column = a},"
                + " {type = relationships, column = a}, {type = range, column = a},"
                + " {type = row_count}, {type = freshness, column = at}, {type = sql},"
                + " {type = unique, columns = [a], severity = fatal}]");

    QualityConfig.from(quality);

    String at = "quality.tables.\"silver.shop.t\".checks";
    assertThat(quality.problems())
        .containsExactly(
            at + "[0].columns: must name at least one column",
            at + "[1].values: must list the accepted values",
            at + "[2].to: must name the table the values must exist in",
            at + "[3].min: a range needs min, max or both",
            at + "[4].min: a row count needs min, max or both",
            at + "[5].max-age: must say how old the newest row may be (e.g. '2 days')",
            at + "[6].query: must be a query returning the offending rows, reading {table}",
            at + "[7].severity: 'fatal' is not one of [error, warn]");
  }

  @Test
  void aCompleteDeclarationReadsEveryKeyOfItsType() {
    ConfigReader quality =
        quality(
            "[{type = range, column = rate, min = 0, max = 1, where = \"is_current\"},"
                + " {type = relationships, column = k, to = \"gold.shop.dim\"}]");

    QualityConfig config = QualityConfig.from(quality);

    assertThat(quality.problems()).isEmpty();
    CheckSpec range = config.checks().values().iterator().next().get(0);
    assertThat(range.name()).isEqualTo("range(rate)");
    assertThat(range.min()).contains(0.0);
    assertThat(range.max()).contains(1.0);
    assertThat(range.where()).contains("is_current");
    CheckSpec relationship = config.checks().values().iterator().next().get(1);
    assertThat(relationship.toTable()).isEqualTo("gold.shop.dim");
    assertThat(relationship.toColumn()).isEqualTo("k");
  }
}
