package com.acme.warehouse.common.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.warehouse.common.testing.SparkTestBase;
import org.junit.jupiter.api.Test;

class DriverRowsTest extends SparkTestBase {
  @Test
  void rowsUpToTheBoundComeBackAllBeyondItTheJobFailsNamingWhatGrew() {
    assertThat(DriverRows.atMost(spark.range(5).toDF(), 5, "ids"))
        .extracting(row -> row.getLong(0))
        .containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThatThrownBy(() -> DriverRows.atMost(spark.range(5).toDF(), 4, "delivery dates of t"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "delivery dates of t: more than 4 rows would be held on the driver, the bound this job"
                + " is built for; it stops rather than cut the list");
  }
}
