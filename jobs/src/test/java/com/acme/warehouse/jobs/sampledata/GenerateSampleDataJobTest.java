package com.acme.warehouse.jobs.sampledata;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.cli.Cli;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.ops.RunLog;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.JobCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** {@code generate-sample-data} through the real entry point: options, output and run log. */
class GenerateSampleDataJobTest extends SparkTestBase {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  private int run(String... args) {
    return new Cli(
            "warehouse",
            JobCatalog::registry,
            ConfigLoader.fromClasspath(),
            config -> spark,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            Clock.systemUTC())
        .execute(args);
  }

  @Test
  void theOptionsSetScaleSeedAndOutputAndTheRunIsLogged() {
    Path raw = tempDir.resolve("raw");
    String warehouse = path("warehouse");

    int code =
        run(
            "generate-sample-data",
            "--scale",
            "0.02",
            "--seed",
            "3",
            "--out",
            raw.toString(),
            "--set",
            "paths.warehouse=" + warehouse);

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
    List<Row> log = new RunLog(spark, warehouse + "/_ops/run_log").read().collectAsList();
    assertThat(log).hasSize(1);
    assertThat(log.get(0).<String>getAs("job")).isEqualTo("generate-sample-data");
    assertThat(log.get(0).<Long>getAs("rows_written")).isEqualTo(lines);
    assertThat(log.get(0).<String>getAs("details")).contains("\"rows_by_domain\":{\"mentoring\":");
    assertThat(Files.exists(raw.resolve("commerce/base/dt=1998-08-03/lineitem.tbl"))).isTrue();
  }

  @Test
  void dryRunNamesWhatWouldBeWrittenAndWritesNothing() {
    Path raw = tempDir.resolve("dry");

    assertThat(run("generate-sample-data", "--scale", "5", "--out", raw.toString(), "--dry-run"))
        .isEqualTo(0);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("writes [mentoring, commerce, agents] at scale 5.0, seed 42")
        .contains("into " + raw);
    assertThat(Files.exists(raw)).isFalse();
  }

  @Test
  void aBadScaleIsAConfigurationErrorNamingTheKey() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Cli(
                "warehouse",
                JobCatalog::registry,
                ConfigLoader.fromClasspath(),
                config -> spark,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC())
            .execute("generate-sample-data", "--scale", "big");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "sample-data.scale: expected a number, got \"big\" (from --set sample-data.scale)");
  }
}
