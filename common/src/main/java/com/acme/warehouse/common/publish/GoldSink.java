package com.acme.warehouse.common.publish;

import com.acme.warehouse.common.job.TableId;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Where gold tables are published once written to Delta, chosen by {@code gold.sink} per
 * environment: {@code delta} (gold stays in the warehouse) or {@code bigquery}.
 */
public interface GoldSink {
  /**
   * Publishes one gold table.
   *
   * @param current the gold table now
   * @param lastPublished the gold table as it was when last published, if known: a sink may send
   *     only what changed since
   */
  Publication publish(TableId table, Dataset<Row> current, Optional<Dataset<Row>> lastPublished);
}
