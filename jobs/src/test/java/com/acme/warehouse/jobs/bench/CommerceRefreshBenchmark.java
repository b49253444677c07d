package com.acme.warehouse.jobs.bench;

import com.acme.warehouse.common.cli.Cli;
import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.config.ConfigSources;
import com.acme.warehouse.common.spark.SparkSessionFactory;
import com.acme.warehouse.jobs.JobCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * The commerce pipeline's base load against one refresh set, per scale, in one Spark application:
 * for each {@code <raw>} folder given (generated commerce data whose {@code commerce/refresh} sets
 * are held back in {@code <raw>-held}), times {@code pipeline --domain commerce} on the base load,
 * then after moving the first refresh set in. Prints both and their ratio. Run by {@code
 * scripts/bench/commerce-refresh.sh}.
 */
public final class CommerceRefreshBenchmark {
  private CommerceRefreshBenchmark() {}

  public static void main(String[] args) throws Exception {
    String scratch = args[0];
    ConfigLoader loader = ConfigLoader.fromEnvironment();
    ConfigReader reader = new ConfigReader(loader.load(ConfigSources.of(null, null, Map.of())));
    AppConfig app = AppConfig.from(reader);
    reader.throwIfInvalid();
    SparkSession spark = SparkSessionFactory.create(app.spark());
    // Pay Delta's first-use cost before anything is timed.
    spark.range(10).write().format("delta").mode("overwrite").save(scratch + "/warmup");

    List<String> lines = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String raw = args[i];
      String warehouse = scratch + "/warehouse-" + i;
      double base = pipeline(spark, loader, raw, warehouse);
      Path held = Paths.get(raw + "-held");
      Path first;
      try (Stream<Path> sets = Files.list(held)) {
        first = sets.sorted().collect(Collectors.toList()).get(0);
      }
      Path refresh = Paths.get(raw, "commerce", "refresh");
      Files.createDirectories(refresh);
      Files.move(first, refresh.resolve(first.getFileName()));
      double set = pipeline(spark, loader, raw, warehouse);
      lines.add(
          String.format(
              Locale.ROOT,
              "%-40s base load %7.1f s   one refresh set (%s) %6.1f s   refresh/base %.2f",
              raw,
              base,
              first.getFileName(),
              set,
              set / base));
    }
    lines.forEach(System.out::println);
    spark.stop();
  }

  private static double pipeline(
      SparkSession spark, ConfigLoader loader, String raw, String warehouse) throws IOException {
    long start = System.nanoTime();
    int code =
        new Cli(
                "warehouse",
                JobCatalog::registry,
                loader,
                config -> spark,
                new PrintStream(new ByteArrayOutputStream()),
                System.err,
                Clock.systemUTC())
            .execute(
                "pipeline",
                "--domain",
                "commerce",
                "--set",
                "paths.raw=" + raw,
                "--set",
                "paths.warehouse=" + warehouse);
    if (code != 0) {
      throw new IllegalStateException("commerce pipeline failed with exit code " + code);
    }
    return (System.nanoTime() - start) / 1e9;
  }
}
