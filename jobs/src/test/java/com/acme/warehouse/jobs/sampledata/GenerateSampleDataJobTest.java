package com.acme.warehouse.jobs.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** {@code generate-sample-data} through the real entry point: options, output and run log. */
class GenerateSampleDataJobTest extends SparkTestBase {
  private static JobsCli cli(String name) {
    return new JobsCli(spark, path("raw-" + name), path("warehouse-" + name));
  }

  @Test
  void theOptionsSetScaleSeedAndOutputAndTheRunIsLogged() {
    Path raw = tempDir.resolve("out");
    JobsCli cli = cli("options");

    int code =
        cli.run("generate-sample-data", "--scale", "0.02", "--seed", "3", "--out", raw.toString());

    assertThat(code).isEqualTo(0);
    for (String domain : SampleDataSettings.DOMAINS) {
      assertThat(SampleDataFixture.truth(raw, domain).get("seed").asLong()).isEqualTo(3);
      assertThat(SampleDataFixture.truth(raw, domain).get("scale").asDouble()).isEqualTo(0.02);
    }
    long lines = 0;
    for (Path file : RawFiles.files(raw)) {
      if (!file.getFileName().toString().startsWith("_")) {
        List<String> text = RawFiles.read(file);
        lines += file.toString().endsWith(".csv") ? text.size() - 1 : text.size();
      }
    }
    List<Row> log = cli.runLog().collectAsList();
    assertThat(log).hasSize(1);
    assertThat(log.get(0).<String>getAs("job")).isEqualTo("generate-sample-data");
    assertThat(log.get(0).<Long>getAs("rows_written")).isEqualTo(lines);
    assertThat(log.get(0).<String>getAs("details")).contains("\"rows_by_domain\":{\"mentoring\":");
    assertThat(Files.exists(raw.resolve("commerce/base/dt=1998-08-03/lineitem.tbl"))).isTrue();
  }

  @Test
  void theDefaultOutputIsTheRawRoot() {
    JobsCli cli = cli("default");

    assertThat(cli.run("generate-sample-data", "--scale", "0.01")).isEqualTo(0);

    assertThat(tempDir.resolve("raw-default").resolve("mentoring").resolve("_truth.json")).exists();
  }

  @Test
  void dryRunNamesWhatWouldBeWrittenAndWritesNothing() {
    Path raw = tempDir.resolve("dry");
    JobsCli cli = cli("dry");

    assertThat(
            cli.run("generate-sample-data", "--scale", "5", "--out", raw.toString(), "--dry-run"))
        .isEqualTo(0);

    assertThat(cli.out())
        .contains("writes [mentoring, commerce, agents] at scale 5.0, seed 42")
        .contains("into " + raw);
    assertThat(Files.exists(raw)).isFalse();
  }

  @Test
  void aBadScaleIsAConfigurationErrorNamingTheKey() {
    JobsCli cli = cli("bad");

    assertThat(cli.run("generate-sample-data", "--scale", "big")).isEqualTo(2);

    assertThat(cli.err())
        .contains(
            "sample-data.scale: expected a number, got \"big\" (from --set sample-data.scale)");
  }
}
