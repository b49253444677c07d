package com.acme.warehouse.jobs.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_json;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.spark.SparkSessionFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Compares two warehouses built from the same raw folder: every bronze, silver and gold Delta table
 * must hold the same multiset of rows on every column but those that say which run wrote a row and
 * when. Used by {@code scripts/chaos/kill-rerun.sh} to compare a warehouse built through killed
 * runs with a clean one. Prints one line per table ({@code same <table> <rows>} or {@code DIFFERS
 * <table>: ...} with up to three rows found on one side only) and exits 1 when any table differs or
 * exists on one side only.
 *
 * <p>Arguments: the reference warehouse, the warehouse under test, optionally one domain (only its
 * tables are compared). Distributed: rows are compared by a group-by over both sides, never
 * collected (but the three shown).
 */
public final class WarehouseDiff {
  /** Which run wrote a row, when, and the bronze row a quarantine row carries (run included). */
  static final Set<String> RUN_COLUMNS =
      Set.of("_ingested_at", "_run_id", "_quarantined_by_run", "record");

  private static final String[] LAYERS = {"bronze", "silver", "gold"};

  private WarehouseDiff() {}

  public static void main(String[] args) throws Exception {
    String expected = args[0];
    String actual = args[1];
    SparkSession spark =
        SparkSessionFactory.create(
            AppConfig.from(BronzeBenchmark.config(ConfigLoader.fromEnvironment(), "", expected))
                .spark());
    String domain = args.length > 2 ? args[2] : "";
    Set<String> tables = tables(spark, expected, domain);
    Set<String> theirs = tables(spark, actual, domain);
    // Tables are compared four at a time: most are small, and a Spark job's latency dominates.
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Map<String, Future<String>> results = new TreeMap<>();
    for (String table : union(tables, theirs)) {
      if (!tables.contains(table) || !theirs.contains(table)) {
        String side = tables.contains(table) ? expected : actual;
        results.put(table, CompletableFuture.completedFuture("only in " + side));
      } else {
        results.put(
            table,
            pool.submit(
                () ->
                    compare(
                        spark.read().format("delta").load(expected + "/" + table),
                        spark.read().format("delta").load(actual + "/" + table))));
      }
    }
    int differences = 0;
    for (Map.Entry<String, Future<String>> result : results.entrySet()) {
      String outcome = result.getValue().get();
      if (outcome.startsWith("same ")) {
        System.out.println("same " + result.getKey() + " " + outcome.substring("same ".length()));
      } else {
        System.out.println("DIFFERS " + result.getKey() + ": " + outcome);
        differences++;
      }
    }
    pool.shutdown();
    System.out.println(
        differences == 0
            ? "warehouses equal: " + tables.size() + " tables"
            : differences + " of " + results.size() + " tables differ");
    spark.stop();
    System.exit(differences == 0 ? 0 : 1);
  }

  /**
   * {@code same <rows>} when both hold the same rows on the compared columns, otherwise what
   * differs: the columns, or how many rows each side has that the other has not, and a few of them.
   */
  static String compare(Dataset<Row> expected, Dataset<Row> actual) {
    List<String> columns = new ArrayList<>();
    for (String column : expected.columns()) {
      if (!RUN_COLUMNS.contains(column)) {
        columns.add(column);
      }
    }
    List<String> theirColumns = new ArrayList<>();
    for (String column : actual.columns()) {
      if (!RUN_COLUMNS.contains(column)) {
        theirColumns.add(column);
      }
    }
    if (!new TreeSet<>(columns).equals(new TreeSet<>(theirColumns))) {
      return "columns " + columns + " against " + theirColumns;
    }
    // One pass: each row counts +1 on the reference side, -1 under test; what does not net to 0
    // is on one side more often than on the other.
    Column[] grouping = columns.stream().map(c -> col(c)).toArray(Column[]::new);
    Dataset<Row> unmatched =
        comparable(expected, columns)
            .withColumn("_side", lit(1))
            .unionByName(comparable(actual, columns).withColumn("_side", lit(-1)))
            .groupBy(grouping)
            .agg(sum("_side").as("_surplus"))
            .where(col("_surplus").notEqual(0))
            .cache();
    try {
      long differing = unmatched.count();
      if (differing == 0) {
        return "same " + expected.count() + " rows";
      }
      // Three example rows for the person reading the failure: never more reach the driver.
      return differing
          + " distinct rows held a different number of times (_surplus > 0: more in the"
          + " reference), e.g. "
          + unmatched.takeAsList(3);
    } finally {
      unmatched.unpersist();
    }
  }

  /**
   * The compared columns in one order, in a form set operations accept: maps (which Spark cannot
   * compare) and anything holding one as JSON; floating point to 9 decimals, because a sum's last
   * bits depend on the order partitions are added in.
   */
  private static Dataset<Row> comparable(Dataset<Row> table, List<String> columns) {
    List<Column> selected = new ArrayList<>();
    for (String name : columns) {
      DataType type = table.schema().apply(name).dataType();
      Column column = col(name);
      if (holdsMap(type)) {
        column = to_json(column);
      } else if (type instanceof DoubleType || type instanceof FloatType) {
        column = round(column, 9);
      }
      selected.add(column.as(name));
    }
    return table.select(selected.toArray(new Column[0]));
  }

  private static boolean holdsMap(DataType type) {
    if (type instanceof MapType) {
      return true;
    }
    if (type instanceof ArrayType) {
      return holdsMap(((ArrayType) type).elementType());
    }
    if (type instanceof StructType) {
      for (StructField field : ((StructType) type).fields()) {
        if (holdsMap(field.dataType())) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Every Delta table under the warehouse's bronze, silver and gold folders (of one domain, unless
   * {@code domain} is empty), as relative paths.
   */
  private static Set<String> tables(SparkSession spark, String warehouse, String domain)
      throws IOException {
    Path root = new Path(warehouse);
    FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
    Set<String> tables = new TreeSet<>();
    for (String layer : LAYERS) {
      Path layerPath = new Path(root, layer);
      if (!fs.exists(layerPath)) {
        continue;
      }
      for (FileStatus folder : fs.listStatus(layerPath)) {
        String name = folder.getPath().getName();
        if (!domain.isEmpty() && !domain.equals(name)) {
          continue;
        }
        for (FileStatus table : fs.listStatus(folder.getPath())) {
          if (fs.exists(new Path(table.getPath(), "_delta_log"))) {
            tables.add(layer + "/" + name + "/" + table.getPath().getName());
          }
        }
      }
    }
    return tables;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new TreeSet<>(a);
    all.addAll(b);
    return all;
  }
}
