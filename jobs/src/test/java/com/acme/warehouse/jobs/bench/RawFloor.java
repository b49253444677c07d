package com.acme.warehouse.jobs.bench;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.spark.SparkSessionFactory;
import com.acme.warehouse.jobs.bronze.BronzeSource;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The floor of a pipeline run: a bare Spark read of every source's raw files as text lines, written
 * once to Delta (one table per source, as many at once as the pipeline runs jobs). What no
 * warehouse built from these files can beat on this machine. Run by {@code
 * scripts/bench/pipeline-scaling.sh}; prints {@code floor_seconds=<s> lines=<n>}.
 *
 * <p>Arguments: raw root, scratch folder.
 */
public final class RawFloor {
  private RawFloor() {}

  public static void main(String[] args) throws Exception {
    String raw = args[0];
    String scratch = args[1];
    ConfigReader reader = BronzeBenchmark.config(ConfigLoader.fromEnvironment(), raw, scratch);
    AppConfig app = AppConfig.from(reader);
    List<BronzeSource> sources = BronzeSource.all(reader.at("bronze"));
    int parallelism = reader.intInRange("pipeline.max-parallel-jobs", 1, 64);
    reader.throwIfInvalid();
    SparkSession spark = SparkSessionFactory.create(app.spark());
    // Delta's first-use cost is paid by every pipeline run too, so it is part of the floor.
    long start = System.nanoTime();
    BronzeBenchmark.inParallel(
        sources,
        parallelism,
        source ->
            BronzeBenchmark.write(
                spark.read().text(BronzeBenchmark.files(spark, raw, source)),
                scratch + "/" + source.domain() + "/" + source.name()));
    double seconds = (System.nanoTime() - start) / 1e9;
    long lines = 0;
    for (BronzeSource source : sources) {
      lines +=
          spark
              .read()
              .format("delta")
              .load(scratch + "/" + source.domain() + "/" + source.name())
              .count();
    }
    System.out.printf(Locale.ROOT, "floor_seconds=%.1f lines=%d%n", seconds, lines);
    spark.stop();
  }
}
