package com.acme.warehouse.jobs.testing;

import com.acme.warehouse.common.cli.Cli;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.ops.RunLog;
import com.acme.warehouse.jobs.JobCatalog;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The suite's real command line (registry, config from the classpath) on the shared test session,
 * pointed at one raw folder and one warehouse, capturing what it prints.
 */
public final class JobsCli {
  private final SparkSession spark;
  private final String raw;
  private final String warehouse;
  private final List<String> extra = new ArrayList<>();
  private ByteArrayOutputStream out = new ByteArrayOutputStream();
  private ByteArrayOutputStream err = new ByteArrayOutputStream();

  public JobsCli(SparkSession spark, String raw, String warehouse) {
    this.spark = spark;
    this.raw = raw;
    this.warehouse = warehouse;
  }

  /** Options added to every run, e.g. {@code --conf-file}. */
  public JobsCli always(String... args) {
    extra.addAll(Arrays.asList(args));
    return this;
  }

  /** Runs one command; returns its exit code. Output of earlier runs is discarded. */
  public int run(String... args) {
    out = new ByteArrayOutputStream();
    err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(extra);
    all.addAll(List.of("--set", "paths.raw=" + raw, "--set", "paths.warehouse=" + warehouse));
    return new Cli(
            "warehouse",
            JobCatalog::registry,
            ConfigLoader.fromClasspath(),
            config -> spark,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            Clock.systemUTC())
        .execute(all.toArray(new String[0]));
  }

  public String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  public String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  public String warehouse() {
    return warehouse;
  }

  public String location(String layer, String domain, String table) {
    return warehouse + "/" + layer + "/" + domain + "/" + table;
  }

  /** The run log, oldest run first. */
  public Dataset<Row> runLog() {
    return new RunLog(spark, warehouse + "/_ops/run_log").read().orderBy("start_time");
  }

  /** The latest run of a job. */
  public Row lastRun(String job) {
    List<Row> runs =
        runLog().where(org.apache.spark.sql.functions.col("job").equalTo(job)).collectAsList();
    return runs.get(runs.size() - 1);
  }
}
