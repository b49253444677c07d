package com.acme.warehouse.common.testing;

import com.acme.warehouse.common.spark.SparkSessionFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;

/**
 * One SparkSession per test JVM, shared by every test class: the first Delta operation costs ~20 s,
 * so it is paid once. Small and quiet: local[2], two shuffle partitions, one snapshot partition, no
 * UI, jobs at once sharing the cores by turns (FAIR, as in production). Expressions are
 * interpreted, not compiled: on the tests' tiny frames compiling generated code (Janino, then the
 * JIT) cost more than running it — a third of {@code AgentsSampleDataTest}'s time (150 s → 102 s).
 * The compiled path, which production uses, runs in CI's spark-submit runs (the standalone cluster
 * and the kill harness) and in {@code scripts/run-local.sh}.
 */
public final class SharedSpark {
  private static SparkSession session;

  private SharedSpark() {}

  public static synchronized SparkSession session() {
    if (session == null) {
      session = create();
      Runtime.getRuntime().addShutdownHook(new Thread(session::stop));
    }
    return session;
  }

  private static SparkSession create() {
    Path scratch;
    try {
      scratch = Files.createTempDirectory("spark-test-");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return SparkSession.builder()
        .master("local[2]")
        .appName("warehouse-tests")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config(
            "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config(SparkSessionFactory.CALENDAR)
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.databricks.delta.snapshotPartitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.sql.codegen.wholeStage", "false")
        .config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
        .config("spark.scheduler.mode", "FAIR")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.warehouse.dir", scratch.resolve("spark-warehouse").toString())
        .config("spark.local.dir", scratch.resolve("local").toString())
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }
}
