package com.acme.warehouse.jobs.testing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.cli.Cli;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.ops.RunLog;
import com.acme.warehouse.common.testing.DataFrameAssert;
import com.acme.warehouse.jobs.JobCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import scala.Option;

/**
 * The suite's real command line (registry, config from the classpath) on the shared test session,
 * pointed at one raw folder and one warehouse, capturing what it prints.
 */
public final class JobsCli {
  /**
   * Columns that say when, or by which run, a row was written: they differ between warehouses. (A
   * quarantine's {@code record} is the bronze row as it arrived, its ingestion run and time
   * included; its file, line, rule and reason are compared.)
   */
  private static final Set<String> RUN_COLUMNS =
      Set.of("_ingested_at", "_run_id", "_quarantined_by_run", "record");

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
    // Test tables hold a handful of rows: without this every incremental gold job would rebuild
    // whole (gold.incremental-min-input-rows), leaving its incremental path untested. A test's own
    // settings come after and win.
    all.addAll(List.of("--set", "gold.incremental-min-input-rows=0"));
    all.addAll(extra);
    all.addAll(List.of("--set", "paths.raw=" + raw, "--set", "paths.warehouse=" + warehouse));
    // A MERGE per command for a lease adds minutes over the hundreds of commands these suites run;
    // the lease is proven in common's ConcurrentRunTest and end to end by CI's kill harness.
    all.addAll(List.of("--set", "jobs.leases=false"));
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

  /**
   * Runs a domain's pipeline again with nothing new and asserts what a rerun must do: every job of
   * the domain that ran before (its publish steps run only when asked) is recorded {@code skipped}
   * (inputs unchanged), no table under the warehouse but the run log gets a new version, and the
   * run log gets one: the skipped runs' rows are one commit, not one per job.
   */
  public void assertRerunSkipsEveryJob(String domain) throws IOException {
    long jobs =
        runLog()
            .where(col("job").startsWith(domain + "-").and(not(col("job").contains("-publish-"))))
            .select("job")
            .distinct()
            .count();
    Map<String, Long> before = tableVersions();
    long runLogBefore = version(warehouse + "/_ops/run_log");
    Set<String> earlier = new HashSet<>();
    for (Row row : runLog().select("run_id").collectAsList()) {
      earlier.add(row.getString(0));
    }
    assertThat(run("pipeline", "--domain", domain)).as(err()).isEqualTo(0);
    List<Row> rerun = runLog().where(not(col("run_id").isin(earlier.toArray()))).collectAsList();
    assertThat(rerun).hasSize((int) jobs);
    for (Row row : rerun) {
      assertThat(row.<String>getAs("status")).as(row.<String>getAs("job")).isEqualTo("skipped");
      assertThat(row.<String>getAs("details")).contains("\"reason\":\"inputs unchanged\"");
    }
    assertThat(tableVersions()).isEqualTo(before);
    assertThat(version(warehouse + "/_ops/run_log")).isEqualTo(runLogBefore + 1);
  }

  /** Every Delta table under the warehouse but the run log, with its latest version. */
  public Map<String, Long> tableVersions() throws IOException {
    Map<String, Long> versions = new TreeMap<>();
    try (Stream<Path> logs = Files.walk(Path.of(warehouse))) {
      for (Path log : logs.filter(p -> p.endsWith("_delta_log")).collect(Collectors.toList())) {
        String table = log.getParent().toString();
        if (!table.endsWith("run_log")) {
          versions.put(table, version(table));
        }
      }
    }
    return versions;
  }

  private long version(String table) {
    return DeltaLog.forTable(spark, table).update(false, Option.empty(), Option.empty()).version();
  }

  /**
   * Asserts that every silver and gold table of this warehouse holds the same rows as the other's,
   * leaving out only the columns that say when or by which run a row was written. Returns how many
   * tables were compared.
   */
  public int assertSameSilverAndGold(JobsCli other) throws IOException {
    Set<String> tables = new TreeSet<>();
    for (String table : tableVersions().keySet()) {
      String relative = Path.of(warehouse).relativize(Path.of(table)).toString();
      if (relative.startsWith("silver") || relative.startsWith("gold")) {
        tables.add(relative);
      }
    }
    Set<String> theirs = new TreeSet<>();
    for (String table : other.tableVersions().keySet()) {
      String relative = Path.of(other.warehouse).relativize(Path.of(table)).toString();
      if (relative.startsWith("silver") || relative.startsWith("gold")) {
        theirs.add(relative);
      }
    }
    assertThat(theirs).isEqualTo(tables);
    for (String table : tables) {
      Dataset<Row> mine = spark.read().format("delta").load(warehouse + "/" + table);
      Dataset<Row> their = spark.read().format("delta").load(other.warehouse + "/" + table);
      List<String> compared = new ArrayList<>();
      for (String column : mine.columns()) {
        if (!RUN_COLUMNS.contains(column)) {
          compared.add(column);
        }
      }
      try {
        DataFrameAssert.assertSameRows(
            withRelativePaths(mine.select(columns(compared)), raw),
            withRelativePaths(their.select(columns(compared)), other.raw));
      } catch (AssertionError e) {
        throw new AssertionError(table + ": " + e.getMessage(), e);
      }
    }
    return tables.size();
  }

  /**
   * Copies the files of every delivery up to a date ({@code dt=YYYY-MM-DD} folders) from one raw
   * folder into another, keeping their paths: the deliveries arriving one by one.
   */
  public static void copyDeliveries(Path from, Path to, LocalDate upTo) throws IOException {
    Pattern delivery = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
        Path relative = from.relativize(file);
        Matcher date = delivery.matcher(relative.toString());
        Path target = to.resolve(relative.toString());
        if (date.find() && !LocalDate.parse(date.group(1)).isAfter(upTo) && !Files.exists(target)) {
          Files.createDirectories(target.getParent());
          Files.copy(file, target);
        }
      }
    }
  }

  /** File paths as relative to their raw folder: two warehouses read the same files elsewhere. */
  private static Dataset<Row> withRelativePaths(Dataset<Row> table, String raw) {
    for (String column : table.columns()) {
      if (column.equals("_source_file")) {
        table =
            table.withColumn(
                column,
                org.apache.spark.sql.functions.regexp_replace(
                    col(column), Pattern.quote(Path.of(raw).toUri().getPath()), ""));
      }
    }
    return table;
  }

  private static Column[] columns(List<String> names) {
    return names.stream().map(c -> col(c)).toArray(Column[]::new);
  }

  /** The latest run of a job that did its work (not skipped, not failed). */
  public Row lastSucceeded(String job) {
    List<Row> runs =
        runLog()
            .where(col("job").equalTo(job).and(col("status").equalTo("succeeded")))
            .collectAsList();
    return runs.get(runs.size() - 1);
  }

  /** The latest run of a job. */
  public Row lastRun(String job) {
    List<Row> runs =
        runLog().where(org.apache.spark.sql.functions.col("job").equalTo(job)).collectAsList();
    return runs.get(runs.size() - 1);
  }
}
