package com.acme.warehouse.common.spark;

import com.acme.warehouse.common.config.SparkConfig;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Builds the one SparkSession of a run from {@code spark.*} config, with Delta enabled. */
public final class SparkSessionFactory {
  static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

  /**
   * Instants before 1900 (and dates before 1582) are written and read as they are, in the proleptic
   * Gregorian calendar Spark uses, instead of failing the write (Spark's default for Parquet is to
   * refuse them, since old readers used another calendar). Config may override.
   */
  public static final Map<String, Object> CALENDAR =
      Map.of(
          "spark.sql.parquet.int96RebaseModeInWrite", "CORRECTED",
          "spark.sql.parquet.int96RebaseModeInRead", "CORRECTED",
          "spark.sql.parquet.datetimeRebaseModeInWrite", "CORRECTED",
          "spark.sql.parquet.datetimeRebaseModeInRead", "CORRECTED");

  private SparkSessionFactory() {}

  public static SparkSession create(SparkConfig config) {
    SparkSession.Builder builder = SparkSession.builder().appName(config.appName());
    // spark-submit puts its --master into the spark.* system properties; it wins over config.
    boolean launcherSetMaster = new SparkConf().contains("spark.master");
    if (!launcherSetMaster && config.master().isPresent()) {
      builder.master(config.master().get());
    }
    builder.config(CALENDAR);
    for (Map.Entry<String, String> setting : config.settings().entrySet()) {
      builder.config(setting.getKey(), setting.getValue());
    }
    builder.config(
        "spark.sql.extensions", withDelta(config.settings().get("spark.sql.extensions")));
    builder.config("spark.sql.catalog.spark_catalog", DELTA_CATALOG);
    return builder.getOrCreate();
  }

  /** Keeps any extensions configured, adding Delta's. */
  static String withDelta(String configured) {
    Set<String> extensions = new LinkedHashSet<>();
    if (configured != null) {
      for (String extension : configured.split(",")) {
        if (!extension.isBlank()) {
          extensions.add(extension.trim());
        }
      }
    }
    extensions.add(DELTA_EXTENSION);
    return String.join(",", extensions);
  }
}
