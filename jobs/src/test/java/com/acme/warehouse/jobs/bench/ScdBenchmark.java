package com.acme.warehouse.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.timestamp_seconds;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.config.ConfigSources;
import com.acme.warehouse.common.keys.SurrogateKeys;
import com.acme.warehouse.common.scd.Scd2Merge;
import com.acme.warehouse.common.scd.ScdResult;
import com.acme.warehouse.common.scd.ScdSpec;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Merges a batch of 1% changed rows into SCD2 dimensions of several sizes and prints the time of
 * each merge and the ratios between sizes. The dimensions are written directly (as the engine would
 * have left them after a first load); each size gets two merges, different keys each time. Run by
 * {@code scripts/bench/scd-merge.sh}; not a job of the suite.
 *
 * <p>Arguments: scratch folder, deletion vectors (true/false), sizes...
 */
public final class ScdBenchmark {
  private ScdBenchmark() {}

  public static void main(String[] args) {
    String scratch = args[0];
    boolean deletionVectors = Boolean.parseBoolean(args[1]);
    ConfigReader reader =
        new ConfigReader(
            ConfigLoader.fromEnvironment()
                .load(ConfigSources.of(null, null, Map.of("paths.warehouse", scratch))));
    AppConfig app = AppConfig.from(reader);
    reader.throwIfInvalid();
    SparkSession spark = com.acme.warehouse.common.spark.SparkSessionFactory.create(app.spark());
    ScdSpec spec =
        ScdSpec.builder("customer_id")
            .timestamp("updated_at")
            .deletionVectors(deletionVectors)
            .build();
    double first = 0;
    long firstSize = 0;
    System.out.printf(Locale.ROOT, "deletion vectors: %s%n", deletionVectors);
    System.out.printf(
        Locale.ROOT,
        "%12s %10s %10s %10s %12s%n",
        "rows",
        "batch",
        "merge 1 s",
        "merge 2 s",
        "vs smallest");
    for (int i = 2; i < args.length; i++) {
      long size = Long.parseLong(args[i]);
      String target = scratch + "/dim-" + size;
      dimension(spark, size)
          .write()
          .format("delta")
          .option("delta.enableDeletionVectors", Boolean.toString(deletionVectors))
          .save(target);
      double[] seconds = new double[2];
      long batchRows = 0;
      for (int round = 0; round < 2; round++) {
        Dataset<Row> batch = changes(spark, size, round);
        long start = System.nanoTime();
        ScdResult result = Scd2Merge.apply(spark, batch, target, spec);
        seconds[round] = (System.nanoTime() - start) / 1e9;
        batchRows = result.rowsIn();
      }
      double best = Math.min(seconds[0], seconds[1]);
      if (firstSize == 0) {
        first = best;
        firstSize = size;
      }
      System.out.printf(
          Locale.ROOT,
          "%,12d %,10d %10.1f %10.1f %11.2fx%n",
          size,
          batchRows,
          seconds[0],
          seconds[1],
          best / first);
    }
    spark.stop();
  }

  /** {@code size} customers, each with one current version. */
  private static Dataset<Row> dimension(SparkSession spark, long size) {
    Dataset<Row> rows =
        spark
            .range(size)
            .select(
                col("id").as("customer_id"),
                concat(lit("Customer#"), col("id").cast("string")).as("name"),
                pmod(col("id"), lit(5)).cast("string").as("segment"),
                pmod(col("id").multiply(7), lit(25)).as("nation"),
                timestamp_seconds(lit(1_700_000_000L)).as("updated_at"))
            .withColumn("valid_from", col("updated_at"))
            .withColumn("valid_to", lit(null).cast("timestamp"))
            .withColumn("is_current", lit(true))
            .withColumn("is_deleted", lit(false));
    return rows.withColumn("version_key", SurrogateKeys.key(rows, "customer_id", "valid_from"));
  }

  /** 1% of the customers, spread over the whole key range, with a new segment. */
  private static Dataset<Row> changes(SparkSession spark, long size, int round) {
    return spark
        .range(size)
        .where(pmod(col("id").multiply(2_654_435_761L).plus(round * 37L), lit(100)).equalTo(0))
        .select(
            col("id").as("customer_id"),
            concat(lit("Customer#"), col("id").cast("string")).as("name"),
            lit("changed-" + round).as("segment"),
            pmod(col("id").multiply(7), lit(25)).as("nation"),
            timestamp_seconds(lit(1_700_000_000L + 86_400L * (round + 1))).as("updated_at"));
  }
}
