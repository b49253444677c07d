package com.acme.warehouse.common.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.job.TableId;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A table that declares {@code {type = contract}} gets the checks its source's contract implies,
 * stated nowhere else: not-null over the required fields (under the table's names for renamed ones)
 * and accepted values per field that lists them; a wrong source or rename is a one-line problem
 * naming the key.
 */
class ContractChecksTest {
  private static final String CONTRACT =
      "bronze.sources.shop.events.fields = [\n"
          + "  {name = event_id, type = string, required = true}\n"
          + "  {name = kind, type = string, required = true, case = lower, values = [buy, sell]}\n"
          + "  {name = timestamp, type = timestamp, required = true}\n"
          + "  {name = channel, type = string, values = [web, app]}\n"
          + "  {name = note, type = string}\n"
          + "]\n"
          + "quality { sample-size = 5, anomalies { window = 10, min-history = 5, k = 3.5,"
          + " min-relative-spread = 0.01, row-counts = false } }\n";

  private static ConfigReader quality(String checks) {
    return new ConfigReader(
            ConfigFactory.parseString(
                    CONTRACT + "quality.tables.\"silver.shop.events\".checks = " + checks)
                .resolve())
        .at("quality");
  }

  private static List<String> described(List<CheckSpec> checks) {
    return checks.stream()
        .map(c -> c.name() + " " + c.severity() + " " + c.columns() + " " + c.values())
        .collect(Collectors.toList());
  }

  @Test
  void aContractImpliesNotNullOnRequiredFieldsAndAcceptedValuesPerListedField() {
    ConfigReader quality =
        quality(
            "[{type = unique, columns = [event_id]}\n"
                + " {type = contract, source = \"bronze.shop.events\", severity = warn,"
                + " renamed = {timestamp = event_ts}}]");

    QualityConfig config = QualityConfig.from(quality);

    assertThat(quality.problems()).isEmpty();
    assertThat(described(config.checksOf(TableId.parse("silver.shop.events"))))
        .containsExactly(
            "unique(event_id) ERROR [event_id] []",
            "not_null(event_id,kind,event_ts) WARN [event_id, kind, event_ts] []",
            "accepted_values(kind) WARN [kind] [buy, sell]",
            "accepted_values(channel) WARN [channel] [web, app]");
  }

  @Test
  void aContractThatIsNotThereOrARenamedFieldItDoesNotHaveIsAProblemNamingTheKey() {
    ConfigReader missing = quality("[{type = contract, source = \"bronze.shop.orders\"}]");
    QualityConfig.from(missing);
    assertThat(missing.problems())
        .containsExactly(
            "quality.tables.\"silver.shop.events\".checks[0].source: 'bronze.shop.orders' names no"
                + " source contract (bronze.<domain>.<source> under bronze.sources)");

    ConfigReader renamed =
        quality("[{type = contract, source = \"bronze.shop.events\", renamed = {ts = event_ts}}]");
    QualityConfig.from(renamed);
    assertThat(renamed.problems())
        .containsExactly(
            "quality.tables.\"silver.shop.events\".checks[0].renamed.ts: is not a field of"
                + " bronze.shop.events");
  }

  @Test
  void anUnknownCheckTypeNamesTheContractAmongTheTypes() {
    ConfigReader quality = quality("[{type = contracts}]");
    QualityConfig.from(quality);
    assertThat(quality.problems())
        .containsExactly(
            "quality.tables.\"silver.shop.events\".checks[0].type: 'contracts' is not one of"
                + " not_null, unique, accepted_values, relationships, range, row_count, freshness,"
                + " scd, reconciliation, sql, contract");
  }
}
