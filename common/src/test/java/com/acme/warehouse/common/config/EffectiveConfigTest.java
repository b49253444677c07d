package com.acme.warehouse.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class EffectiveConfigTest {
  @Test
  void linesAreSortedAndSecretsMasked() {
    var config =
        ConfigFactory.parseString(
            "zeta = 1\n"
                + "bigquery { project = acme, credentials-file = \"/keys/sa.json\" }\n"
                + "db { password = hunter2, user = etl }\n"
                + "api { token = abc, API_KEY = xyz }\n"
                + "alpha = \"x\"");

    assertThat(EffectiveConfig.lines(config))
        .containsExactly(
            "alpha = \"x\"",
            "api.API_KEY = ********",
            "api.token = ********",
            "bigquery.credentials-file = ********",
            "bigquery.project = \"acme\"",
            "db.password = ********",
            "db.user = \"etl\"",
            "zeta = 1");
  }

  @Test
  void aSecretSectionMasksEverythingUnderIt() {
    assertThat(EffectiveConfig.isSecret("secrets.warehouse.key")).isTrue();
    assertThat(EffectiveConfig.isSecret("paths.warehouse")).isFalse();
  }
}
