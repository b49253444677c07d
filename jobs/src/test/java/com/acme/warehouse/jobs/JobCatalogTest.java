package com.acme.warehouse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.config.ConfigSources;
import com.acme.warehouse.common.job.JobRegistry;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.quality.QualityConfig;
import com.typesafe.config.Config;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JobCatalogTest {
  @Test
  void theJarsOwnConfigurationLoadsFromTheClasspathAndValidates() {
    Config config = ConfigLoader.fromClasspath().load(ConfigSources.defaults());
    ConfigReader reader = new ConfigReader(config);

    AppConfig.from(reader);

    assertThat(reader.problems()).isEmpty();
    assertThat(config.getString("gold.sink")).isEqualTo("delta");
  }

  @Test
  void aSilverTableChecksWhatItsSourceContractRequiresWithoutRestatingIt() {
    Config config = ConfigLoader.fromClasspath().load(ConfigSources.defaults());

    List<String> checks =
        QualityConfig.from(new ConfigReader(config).at("quality"))
            .checksOf(TableId.parse("silver.mentoring.booking_events"))
            .stream()
            .map(c -> c.name() + " " + c.values())
            .collect(Collectors.toList());

    assertThat(checks)
        .contains(
            "not_null(event_id,event_type,user_id,mentor_id,event_ts) []",
            "accepted_values(event_type) [booking_requested, booking_confirmed,"
                + " booking_cancelled, session_started, session_ended]");
  }

  @Test
  void theRegistryBuildsFromTheDefaultConfiguration() {
    Config config = ConfigLoader.fromClasspath().load(ConfigSources.defaults());

    JobRegistry registry = JobCatalog.registry(config);

    assertThat(registry.jobs()).allSatisfy(job -> assertThat(job.name()).matches("[a-z0-9-]+"));
  }
}
