package com.acme.warehouse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.config.ConfigSources;
import com.acme.warehouse.common.job.JobRegistry;
import com.typesafe.config.Config;
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
  void theRegistryBuildsFromTheDefaultConfiguration() {
    Config config = ConfigLoader.fromClasspath().load(ConfigSources.defaults());

    JobRegistry registry = JobCatalog.registry(config);

    assertThat(registry.jobs()).allSatisfy(job -> assertThat(job.name()).matches("[a-z0-9-]+"));
  }
}
