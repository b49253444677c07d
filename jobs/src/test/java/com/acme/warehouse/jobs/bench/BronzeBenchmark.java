package com.acme.warehouse.jobs.bench;

import static org.apache.spark.sql.functions.input_file_name;

import com.acme.warehouse.common.cli.Cli;
import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.config.ConfigSources;
import com.acme.warehouse.common.contract.FieldSpec;
import com.acme.warehouse.common.spark.SparkSessionFactory;
import com.acme.warehouse.jobs.JobCatalog;
import com.acme.warehouse.jobs.bronze.BronzeSource;
import com.acme.warehouse.jobs.bronze.BronzeTables;
import java.io.PrintStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Bronze ingestion against its floor, in one JVM: a bare Spark read of the same files as text lines
 * (with the file name) written to Delta, one table per source. Rounds alternate floor and bronze so
 * caches favour neither; the best of each is compared. Run by {@code
 * scripts/bench/bronze-ingest.sh}; not a job of the suite.
 *
 * <p>Arguments: raw root, scratch warehouse root, rounds.
 */
public final class BronzeBenchmark {
  private BronzeBenchmark() {}

  public static void main(String[] args) throws Exception {
    String raw = args[0];
    String scratch = args[1];
    int rounds = Integer.parseInt(args[2]);
    ConfigLoader loader = ConfigLoader.fromEnvironment();
    ConfigReader reader = config(loader, raw, scratch);
    AppConfig app = AppConfig.from(reader);
    List<BronzeSource> sources = BronzeSource.all(reader.at("bronze"));
    // The floors get the same concurrency as the bronze pipeline.
    int parallelism = reader.intInRange("pipeline.max-parallel-jobs", 1, 64);
    reader.throwIfInvalid();
    SparkSession spark = SparkSessionFactory.create(app.spark());
    // Pay Delta's first-use cost before anything is timed.
    spark.range(10).write().format("delta").mode("overwrite").save(scratch + "/warmup");

    PrintStream out = System.out;
    List<Double> lineFloors = new ArrayList<>();
    List<Double> columnFloors = new ArrayList<>();
    List<Double> bronzes = new ArrayList<>();
    long lines = 0;
    long records = 0;
    for (int round = 1; round <= rounds; round++) {
      long start = System.nanoTime();
      int r = round;
      inParallel(
          sources,
          parallelism,
          source ->
              write(
                  spark.read().text(files(spark, raw, source)),
                  scratch + "/lines-" + r + "/" + source.domain() + "/" + source.name()));
      lineFloors.add(seconds(start));
      lines = 0;
      for (BronzeSource source : sources) {
        lines +=
            spark
                .read()
                .format("delta")
                .load(scratch + "/lines-" + r + "/" + source.domain() + "/" + source.name())
                .count();
      }

      start = System.nanoTime();
      inParallel(
          sources,
          parallelism,
          source ->
              write(
                  formatRead(spark, source, files(spark, raw, source)),
                  scratch + "/columns-" + r + "/" + source.domain() + "/" + source.name()));
      columnFloors.add(seconds(start));

      start = System.nanoTime();
      String warehouse = scratch + "/bronze-" + round;
      int code =
          new Cli(
                  "warehouse",
                  JobCatalog::registry,
                  loader,
                  config -> spark,
                  new PrintStream(new java.io.ByteArrayOutputStream()),
                  System.err,
                  Clock.systemUTC())
              .execute(
                  "pipeline",
                  "--layer",
                  "bronze",
                  "--set",
                  "paths.raw=" + raw,
                  "--set",
                  "paths.warehouse=" + warehouse);
      if (code != 0) {
        throw new IllegalStateException("bronze pipeline failed with exit code " + code);
      }
      bronzes.add(seconds(start));
      records = 0;
      for (BronzeSource source : sources) {
        records +=
            BronzeTables.records(
                    spark, warehouse + "/bronze/" + source.domain() + "/" + source.name())
                .count();
      }
      out.printf(
          Locale.ROOT,
          "round %d: lines floor %.1f s, columns floor %.1f s, bronze %.1f s%n",
          round,
          lineFloors.get(round - 1),
          columnFloors.get(round - 1),
          bronzes.get(round - 1));
    }
    double lineFloor = best(lineFloors);
    double columnFloor = best(columnFloors);
    double bronze = best(bronzes);
    out.printf(
        Locale.ROOT,
        "sources: %d, lines: %d, bronze records: %d, jobs at once: %d%n",
        sources.size(),
        lines,
        records,
        parallelism);
    out.printf(
        Locale.ROOT,
        "floor, lines   (text reader -> Delta):   %7.1f s  %,10.0f rows/s%n",
        lineFloor,
        lines / lineFloor);
    out.printf(
        Locale.ROOT,
        "floor, columns (format reader -> Delta): %7.1f s  %,10.0f rows/s%n",
        columnFloor,
        records / columnFloor);
    out.printf(
        Locale.ROOT,
        "bronze (pipeline --layer bronze):        %7.1f s  %,10.0f rows/s%n",
        bronze,
        records / bronze);
    out.printf(Locale.ROOT, "ratio bronze / columns floor: %.2f%n", bronze / columnFloor);
    out.printf(Locale.ROOT, "ratio bronze / lines floor:   %.2f%n", bronze / lineFloor);
    spark.stop();
  }

  /** The suite's config (WAREHOUSE_CONF_DIR) pointed at a raw folder and a scratch warehouse. */
  static ConfigReader config(ConfigLoader loader, String raw, String warehouse) {
    return new ConfigReader(
        loader.load(
            ConfigSources.of(null, null, Map.of("paths.raw", raw, "paths.warehouse", warehouse))));
  }

  static void write(Dataset<Row> frame, String target) {
    frame
        .withColumn("_source_file", input_file_name())
        .write()
        .format("delta")
        .mode("overwrite")
        .save(target);
  }

  /** Spark's own reader for the source's format, every contract field a string. */
  private static Dataset<Row> formatRead(SparkSession spark, BronzeSource source, String[] files) {
    StructType schema = new StructType();
    for (FieldSpec field : source.fields()) {
      schema = schema.add(field.name(), DataTypes.StringType);
    }
    switch (source.format()) {
      case CSV:
        return spark.read().option("header", "true").schema(schema).csv(files);
      case TBL:
        // The trailing '|' makes one more, empty, column.
        return spark
            .read()
            .option("sep", "|")
            .schema(schema.add("_trailing", DataTypes.StringType))
            .csv(files)
            .drop("_trailing");
      default:
        return spark.read().schema(schema).json(files);
    }
  }

  /** Runs one action per source, {@code parallelism} at a time, and waits for all. */
  static void inParallel(
      List<BronzeSource> sources, int parallelism, java.util.function.Consumer<BronzeSource> action)
      throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(parallelism);
    try {
      List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
      for (BronzeSource source : sources) {
        futures.add(pool.submit(() -> action.accept(source)));
      }
      for (java.util.concurrent.Future<?> future : futures) {
        future.get();
      }
    } finally {
      pool.shutdown();
    }
  }

  private static double best(List<Double> times) {
    return times.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
  }

  static String[] files(SparkSession spark, String raw, BronzeSource source) {
    List<String> files = new ArrayList<>();
    for (String pattern : source.patterns()) {
      Path glob = new Path(raw + "/" + pattern);
      FileStatus[] matches;
      try {
        matches = glob.getFileSystem(spark.sparkContext().hadoopConfiguration()).globStatus(glob);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      for (FileStatus status : matches == null ? new FileStatus[0] : matches) {
        if (!status.getPath().getName().startsWith("_")) {
          files.add(status.getPath().toString());
        }
      }
    }
    return files.toArray(new String[0]);
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
