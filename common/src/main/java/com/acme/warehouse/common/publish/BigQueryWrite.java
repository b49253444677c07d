package com.acme.warehouse.common.publish;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SaveMode;

/**
 * Exactly what one publish hands to the spark-bigquery connector: the data source format, its
 * options (the target table among them) and the save mode. A value, so what is sent can be checked
 * without BigQuery.
 */
public final class BigQueryWrite {
  public static final String FORMAT = "bigquery";

  /** The connector reads the overwrite mode from this key (option or Spark conf). */
  static final String OVERWRITE_MODE = "spark.sql.sources.partitionOverwriteMode";

  private final String table;
  private final Map<String, String> options;
  private final SaveMode mode;

  BigQueryWrite(String table, Map<String, String> options, SaveMode mode) {
    this.table = table;
    this.options = Collections.unmodifiableMap(new TreeMap<>(options));
    this.mode = mode;
  }

  /**
   * The write of a table's rows: a whole-table replace (one load job, {@code WRITE_TRUNCATE}) or,
   * with {@code onlyTheirPartitions}, a dynamic partition overwrite that replaces exactly the
   * partitions the rows fall in. The overwrite mode is always set explicitly: the cluster's Spark
   * conf must never turn a replace into a partition overwrite or the reverse.
   */
  static BigQueryWrite of(
      BigQueryTableSpec spec, BigQuerySettings settings, boolean onlyTheirPartitions) {
    String table = settings.project() + "." + spec.dataset() + "." + spec.table();
    Map<String, String> options = new TreeMap<>();
    options.put("table", table);
    options.put("writeMethod", settings.writeMethod());
    if (settings.writeMethod().equals("indirect")) {
      options.put("temporaryGcsBucket", settings.temporaryGcsBucket());
      options.put("intermediateFormat", "parquet");
    }
    options.put("createDisposition", "CREATE_IF_NEEDED");
    // A column added to a gold table is added to the BigQuery table; a type change is refused
    // earlier, with a message (SchemaEvolution).
    options.put("allowFieldAddition", "true");
    spec.partitionField()
        .ifPresent(
            field -> {
              options.put("partitionField", field);
              options.put("partitionType", spec.partitionType());
            });
    if (!spec.clustering().isEmpty()) {
      options.put("clusteredFields", String.join(",", spec.clustering()));
    }
    options.put(OVERWRITE_MODE, onlyTheirPartitions ? "DYNAMIC" : "STATIC");
    return new BigQueryWrite(table, options, SaveMode.Overwrite);
  }

  public String format() {
    return FORMAT;
  }

  /** {@code project.dataset.table}. */
  public String table() {
    return table;
  }

  public Map<String, String> options() {
    return options;
  }

  public SaveMode mode() {
    return mode;
  }

  @Override
  public String toString() {
    return FORMAT + " " + mode + " " + options;
  }
}
