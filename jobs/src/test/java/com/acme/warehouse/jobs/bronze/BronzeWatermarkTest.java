package com.acme.warehouse.jobs.bronze;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import java.util.List;
import java.util.Optional;
import java.util.TimeZone;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A silver job's bronze watermark names an instant, whatever the JVM's default time zone: written
 * in one zone and read in another, it selects exactly the records ingested after it. (Before, it
 * was the session zone's text parsed back in the JVM's zone: west of UTC silver skipped records for
 * good, east of UTC it read them again.)
 */
class BronzeWatermarkTest extends SparkTestBase {
  private static final String DDL = "_kind STRING, _file STRING, id STRING, _ingested_at TIMESTAMP";

  private static Dataset<Row> bronze() {
    return df(
        DDL,
        "{\"_kind\":\"record\",\"id\":\"a\",\"_ingested_at\":\"2024-01-01T23:30:00.000001Z\"}",
        "{\"_kind\":\"record\",\"id\":\"b\",\"_ingested_at\":\"2024-01-01T23:30:00.000002Z\"}",
        "{\"_kind\":\"record\",\"id\":\"c\",\"_ingested_at\":\"2024-01-02T05:00:00Z\"}",
        "{\"_kind\":\"file\",\"_file\":\"x\",\"_ingested_at\":\"2024-01-02T05:00:00Z\"}");
  }

  private static List<String> idsAfter(String location, Optional<String> watermark) {
    return BronzeTables.recordsAfter(spark, location, watermark)
        .orderBy("id")
        .collectAsList()
        .stream()
        .map(row -> row.<String>getAs("id"))
        .collect(Collectors.toList());
  }

  @Test
  void aWatermarkWrittenInOneZoneSelectsTheSameRecordsInAnother() {
    String location = path("bronze");
    bronze().write().format("delta").save(location);
    TimeZone original = TimeZone.getDefault();
    try {
      TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
      Dataset<Row> firstTwo = BronzeTables.records(spark, location).where(col("id").isin("a", "b"));
      Optional<String> mark = BronzeTables.watermarkOf(firstTwo, Optional.empty());
      assertThat(mark).contains("2024-01-01T23:30:00.000002Z");

      for (String zone : List.of("America/Los_Angeles", "UTC", "Asia/Kolkata")) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        assertThat(idsAfter(location, mark)).as(zone).containsExactly("c");
        assertThat(idsAfter(location, Optional.empty())).as(zone).containsExactly("a", "b", "c");
      }
      // A watermark of an earlier release: the session zone's text, which was always UTC.
      TimeZone.setDefault(TimeZone.getTimeZone("America/Los_Angeles"));
      assertThat(idsAfter(location, Optional.of("2024-01-01 23:30:00.000001")))
          .containsExactly("b", "c");
      // Nothing new: the watermark stays.
      assertThat(BronzeTables.watermarkOf(firstTwo.where("false"), mark)).isEqualTo(mark);
    } finally {
      TimeZone.setDefault(original);
    }
  }
}
