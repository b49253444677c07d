package com.acme.warehouse.common.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SparkSessionFactoryTest {
  @Test
  void deltaIsAddedToConfiguredExtensionsOnce() {
    assertThat(SparkSessionFactory.withDelta(null)).isEqualTo(SparkSessionFactory.DELTA_EXTENSION);
    assertThat(SparkSessionFactory.withDelta("com.x.Ext, "))
        .isEqualTo("com.x.Ext," + SparkSessionFactory.DELTA_EXTENSION);
    assertThat(SparkSessionFactory.withDelta(SparkSessionFactory.DELTA_EXTENSION))
        .isEqualTo(SparkSessionFactory.DELTA_EXTENSION);
  }
}
