package com.acme.warehouse.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.timestamp_seconds;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.config.ConfigSources;
import com.acme.warehouse.common.config.PathsConfig;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.job.TableLocations;
import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.CheckSpec;
import com.acme.warehouse.common.quality.QualityRunner;
import com.acme.warehouse.common.quality.checks.CheckContext;
import com.acme.warehouse.common.spark.SparkSessionFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * All the checks a fact table would declare (not null ×2, unique key, accepted values, relationship
 * to a dimension, range, row count, freshness) on a table of N rows, against one full scan of the
 * same table; best of two rounds each, in one JVM. Run by {@code scripts/bench/quality-checks.sh};
 * not a job of the suite.
 *
 * <p>Arguments: scratch folder, rows.
 */
public final class QualityBenchmark {
  private QualityBenchmark() {}

  public static void main(String[] args) {
    String scratch = args[0];
    long rows = Long.parseLong(args[1]);
    ConfigReader reader =
        new ConfigReader(
            ConfigLoader.fromEnvironment()
                .load(ConfigSources.of(null, null, Map.of("paths.warehouse", scratch))));
    AppConfig app = AppConfig.from(reader);
    reader.throwIfInvalid();
    SparkSession spark = SparkSessionFactory.create(app.spark());
    TableLocations tables = new TableLocations(new PathsConfig(scratch + "/raw", scratch));
    TableId facts = TableId.parse("silver.bench.sessions");
    TableId mentors = TableId.parse("gold.bench.dim_mentor");
    spark
        .range(1000)
        .select(concat(lit("MNT-"), col("id").cast("string")).as("mentor_id"))
        .write()
        .format("delta")
        .save(tables.of(mentors));
    spark
        .range(rows)
        .select(
            col("id").as("session_id"),
            pmod(col("id").multiply(31), lit(1_000_000)).as("user_id"),
            concat(lit("MNT-"), pmod(col("id"), lit(1000)).cast("string")).as("mentor_id"),
            element_at(
                    functions.array(lit("requested"), lit("confirmed"), lit("attended")),
                    pmod(col("id"), lit(3)).cast("int").plus(1))
                .as("status"),
            pmod(col("id"), lit(5)).plus(1).as("score"),
            timestamp_seconds(lit(1_700_000_000L).plus(col("id"))).as("started_at"),
            col("id").multiply(1.5).as("amount"))
        .write()
        .format("delta")
        .save(tables.of(facts));

    List<CheckSpec> checks =
        List.of(
            new CheckSpec.Builder()
                .type(CheckSpec.Type.NOT_NULL)
                .columns("session_id", "user_id")
                .build(),
            new CheckSpec.Builder().type(CheckSpec.Type.NOT_NULL).columns("started_at").build(),
            new CheckSpec.Builder().type(CheckSpec.Type.UNIQUE).columns("session_id").build(),
            new CheckSpec.Builder()
                .type(CheckSpec.Type.ACCEPTED_VALUES)
                .columns("status")
                .values("requested", "confirmed", "attended")
                .build(),
            new CheckSpec.Builder()
                .type(CheckSpec.Type.RELATIONSHIPS)
                .columns("mentor_id")
                .to(mentors.toString(), "mentor_id")
                .build(),
            new CheckSpec.Builder()
                .type(CheckSpec.Type.RANGE)
                .columns("score")
                .min(1)
                .max(5)
                .build(),
            new CheckSpec.Builder().type(CheckSpec.Type.ROW_COUNT).min(1).build(),
            new CheckSpec.Builder()
                .type(CheckSpec.Type.FRESHNESS)
                .columns("started_at")
                .maxAge(Duration.ofDays(100_000))
                .build());
    double scan = Double.MAX_VALUE;
    double all = Double.MAX_VALUE;
    for (int round = 0; round < 2; round++) {
      long start = System.nanoTime();
      spark
          .read()
          .format("delta")
          .load(tables.of(facts))
          .write()
          .format("noop")
          .mode("overwrite")
          .save();
      scan = Math.min(scan, (System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      List<CheckResult> results =
          new QualityRunner(spark, tables, 5, Instant.now())
              .run(facts, checks, new CheckContext.Counters(0, 0, 0, 0));
      all = Math.min(all, (System.nanoTime() - start) / 1e9);
      for (CheckResult result : results) {
        if (result.failed()) {
          throw new IllegalStateException("benchmark data should pass: " + result);
        }
      }
    }
    // The same checks but the relationship (Deequ 2.0.7 has no one-pass foreign-key check),
    // through our runner and through Deequ's analyzers: the measurement behind keeping ours.
    List<CheckSpec> oneTable =
        checks.stream()
            .filter(check -> check.type() != CheckSpec.Type.RELATIONSHIPS)
            .collect(Collectors.toList());
    Instant freshAfter = Instant.now().minus(Duration.ofDays(100_000));
    double ours = Double.MAX_VALUE;
    double deequ = Double.MAX_VALUE;
    for (int round = 0; round < 2; round++) {
      long start = System.nanoTime();
      boolean oursPass =
          new QualityRunner(spark, tables, 5, Instant.now())
              .run(facts, oneTable, new CheckContext.Counters(0, 0, 0, 0)).stream()
                  .noneMatch(CheckResult::failed);
      ours = Math.min(ours, (System.nanoTime() - start) / 1e9);
      start = System.nanoTime();
      boolean deequPass =
          DeequChecks.pass(spark.read().format("delta").load(tables.of(facts)), 1, freshAfter);
      deequ = Math.min(deequ, (System.nanoTime() - start) / 1e9);
      if (!oursPass || !deequPass) {
        throw new IllegalStateException(
            "benchmark data should pass: ours " + oursPass + ", Deequ " + deequPass);
      }
    }
    for (CheckSpec check : checks) {
      long start = System.nanoTime();
      new QualityRunner(spark, tables, 5, Instant.now())
          .run(facts, List.of(check), new CheckContext.Counters(0, 0, 0, 0));
      System.out.printf(
          Locale.ROOT, "  alone: %-40s %6.1f s%n", check.name(), (System.nanoTime() - start) / 1e9);
    }
    System.out.printf(Locale.ROOT, "rows: %,d, checks: %d%n", rows, checks.size());
    System.out.printf(Locale.ROOT, "one full scan:  %6.1f s%n", scan);
    System.out.printf(Locale.ROOT, "all checks:     %6.1f s%n", all);
    System.out.printf(Locale.ROOT, "ratio checks / scan: %.2f (target < 2)%n", all / scan);
    System.out.printf(
        Locale.ROOT, "the %d one-table checks, ours:  %6.1f s%n", oneTable.size(), ours);
    System.out.printf(
        Locale.ROOT, "the %d one-table checks, Deequ: %6.1f s%n", oneTable.size(), deequ);
    System.out.printf(Locale.ROOT, "ratio Deequ / ours: %.2f%n", deequ / ours);
    spark.stop();
  }
}
