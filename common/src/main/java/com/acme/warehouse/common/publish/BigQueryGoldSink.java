package com.acme.warehouse.common.publish;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_trunc;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.xxhash64;

import com.acme.warehouse.common.job.TableId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Publishes gold tables to BigQuery through the spark-bigquery connector.
 *
 * <ul>
 *   <li>{@code replace} tables (dimensions, reports) are replaced whole by one load job: readers
 *       see the old table or the new one, never a mix, and a rerun loads the same rows.
 *   <li>{@code partitions} tables (facts) send only the partitions whose rows changed since the
 *       last publish (found by comparing per-partition row counts and content hashes of the two
 *       gold versions), with dynamic partition overwrite: a rerun replaces exactly those partitions
 *       and leaves every other one alone. The first publish, and one where a partition vanished
 *       from gold (dynamic overwrite cannot empty it), replace the table whole.
 * </ul>
 *
 * Before writing, the existing table's schema is compared with gold's ({@link SchemaEvolution}).
 */
public final class BigQueryGoldSink implements GoldSink {
  /** BigQuery's limit of partitions one job may modify. */
  static final int MAX_PARTITIONS = 4000;

  /** The two things the sink needs from BigQuery; the real one is the connector. */
  public interface Connector {
    /** The schema of an existing table (as the connector reads it), empty if there is none. */
    Optional<StructType> existingSchema(String table);

    void write(Dataset<Row> rows, BigQueryWrite write);
  }

  private final BigQuerySettings settings;
  private final BigQueryTableSpec spec;
  private final Connector connector;

  public BigQueryGoldSink(BigQuerySettings settings, BigQueryTableSpec spec, Connector connector) {
    this.settings = settings;
    this.spec = spec;
    this.connector = connector;
  }

  @Override
  public Publication publish(
      TableId table, Dataset<Row> current, Optional<Dataset<Row>> lastPublished) {
    spec.validate(current.schema());
    Optional<Column> partition = spec.partitionField().map(this::partitionOf);
    Dataset<Row> rows = current;
    boolean onlyTheirPartitions = false;
    List<String> partitions = new ArrayList<>();
    if (spec.writeMode() == BigQueryTableSpec.WriteMode.PARTITIONS && lastPublished.isPresent()) {
      Dataset<Row> changes = changedPartitions(current, lastPublished.get(), partition.get());
      // One row per changed partition, never per fact, and at most BigQuery's partition limit:
      // beyond it the table is replaced whole.
      List<Row> changed = changes.takeAsList(MAX_PARTITIONS + 1);
      boolean replaceWhole =
          changed.size() > MAX_PARTITIONS
              || changed.stream().anyMatch(row -> row.isNullAt(1)); // a partition vanished
      if (changed.isEmpty()) {
        return new Publication(
            BigQueryWrite.of(spec, settings, true).table(),
            Publication.UNCHANGED,
            0,
            List.of(),
            List.of());
      }
      if (!replaceWhole) {
        for (Row row : changed) {
          partitions.add(row.getString(0));
        }
        rows = current.where(partition.get().cast("string").isin(partitions.toArray()));
        onlyTheirPartitions = true;
      }
    }
    BigQueryWrite write = BigQueryWrite.of(spec, settings, onlyTheirPartitions);
    List<String> added =
        connector
            .existingSchema(write.table())
            .map(
                existing -> SchemaEvolution.addedColumns(write.table(), existing, current.schema()))
            .orElse(List.of());
    rows = rows.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long count = rows.count();
      connector.write(rows, write);
      return new Publication(
          write.table(),
          onlyTheirPartitions ? Publication.PARTITIONS : Publication.REPLACED,
          count,
          partitions,
          added);
    } finally {
      rows.unpersist();
    }
  }

  /** The partition a row falls in, as BigQuery's time partitioning of the field would put it. */
  private Column partitionOf(String field) {
    Column value = col(field);
    switch (spec.partitionType()) {
      case "HOUR":
        return date_trunc("hour", value);
      case "MONTH":
        return trunc(to_date(value), "month");
      case "YEAR":
        return trunc(to_date(value), "year");
      default:
        return to_date(value);
    }
  }

  /**
   * Partitions whose rows differ between two versions of a table: (partition, rows now), rows now
   * NULL when the partition vanished. Compared by row count and a sum of row hashes per partition,
   * so only per-partition aggregates, never rows, meet.
   */
  private static Dataset<Row> changedPartitions(
      Dataset<Row> current, Dataset<Row> previous, Column partition) {
    // Renamed apart: the two versions may share lineage (a self-join would be ambiguous).
    Dataset<Row> now = fingerprint(current, partition).toDF("p", "n", "h");
    Dataset<Row> before = fingerprint(previous, partition).toDF("p0", "n0", "h0");
    return now.join(before, col("p").equalTo(col("p0")), "full_outer")
        .where(
            col("n")
                .isNull()
                .or(col("n0").isNull())
                .or(col("n").notEqual(col("n0")))
                .or(col("h").notEqual(col("h0"))))
        .select(coalesce(col("p"), col("p0")).cast("string").as("partition"), col("n").as("rows"));
  }

  private static Dataset<Row> fingerprint(Dataset<Row> frame, Column partition) {
    Column[] all = new Column[frame.columns().length];
    for (int i = 0; i < all.length; i++) {
      all[i] = col(frame.columns()[i]);
    }
    return frame
        .groupBy(partition.as("_p"))
        .agg(count(lit(1)).as("_n"), sum(xxhash64(all)).as("_h"));
  }
}
