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

  @Test
  void secretsNamedByTheWholePathOrHiddenInAValueAreMasked() {
    assertThat(EffectiveConfig.isSecret("spark.conf.spark.hadoop.fs.s3a.access.key")).isTrue();
    assertThat(EffectiveConfig.isSecret("spark.hadoop.fs.azure.account.key.acme.dfs")).isTrue();
    assertThat(EffectiveConfig.isSecret("quality.tables.orders.key")).isFalse();
    assertThat(EffectiveConfig.shown("db.url", "\"jdbc:postgresql://etl:hunter2@db:5432/x\""))
        .isEqualTo("\"jdbc:postgresql://etl:********@db:5432/x\"");
    assertThat(EffectiveConfig.shown("feed", "https://h/p?user=etl&token=abc&page=2"))
        .isEqualTo("https://h/p?user=etl&token=********&page=2");
    assertThat(EffectiveConfig.shown("jdbc", "Server=db;User=etl;Password=hunter2;"))
        .isEqualTo("Server=db;User=etl;Password=********;");
    assertThat(EffectiveConfig.shown("paths.raw", "gs://bucket/raw")).isEqualTo("gs://bucket/raw");
  }
}
