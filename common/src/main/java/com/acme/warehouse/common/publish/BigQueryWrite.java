package com.acme.warehouse.common.publish;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SaveMode;

/**
 * One load through the spark-bigquery connector: rows replace the whole content of a table that
 * already exists ({@code WRITE_TRUNCATE}, one load job). The table is always created beforehand,
 * with its partitioning and clustering, so the load carries none of them and the connector never
 * creates a table itself ({@code CREATE_NEVER}), nor changes its schema (no schema update options,
 * which BigQuery refuses with a whole-table truncate anyway).
 */
final class BigQueryWrite {
  static final String FORMAT = "bigquery";

  /** The connector reads the overwrite mode from this key (option or Spark conf). */
  static final String OVERWRITE_MODE = "spark.sql.sources.partitionOverwriteMode";

  private final String table;
  private final Map<String, String> options;

  private BigQueryWrite(String table, Map<String, String> options) {
    this.table = table;
    this.options = Collections.unmodifiableMap(new TreeMap<>(options));
  }

  /** A replace of {@code table} ({@code project.dataset.table}). */
  static BigQueryWrite replacing(String table, BigQuerySettings settings) {
    Map<String, String> options = new TreeMap<>();
    options.put("table", table);
    options.put("parentProject", settings.project());
    options.put("writeMethod", settings.writeMethod());
    if (settings.writeMethod().equals(BigQuerySettings.INDIRECT)) {
      options.put("temporaryGcsBucket", settings.temporaryGcsBucket());
      options.put("intermediateFormat", "parquet");
    }
    options.put("createDisposition", "CREATE_NEVER");
    // STATIC whatever the cluster's default: a replace must never become a partition overwrite.
    options.put(OVERWRITE_MODE, "STATIC");
    if (!settings.endpoint().isEmpty()) {
      options.put("bigQueryHttpEndpoint", settings.endpoint());
    }
    if (!settings.sendCredentials()) {
      // An emulator takes any token; the connector would otherwise look for real credentials.
      options.put("gcpAccessToken", "emulator");
    }
    return new BigQueryWrite(table, options);
  }

  String format() {
    return FORMAT;
  }

  String table() {
    return table;
  }

  Map<String, String> options() {
    return options;
  }

  SaveMode mode() {
    return SaveMode.Overwrite;
  }

  @Override
  public String toString() {
    return FORMAT + " " + mode() + " " + options;
  }
}
