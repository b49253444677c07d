package com.acme.warehouse.common.publish;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import com.acme.warehouse.common.job.TableId;
import com.google.api.services.bigquery.model.Clustering;
import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TimePartitioning;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Publishes a gold table to BigQuery: the table's metadata through the BigQuery API, its rows
 * through the spark-bigquery connector.
 *
 * <ol>
 *   <li>The table is read with {@code tables.get}. Missing, it is created with gold's schema, its
 *       partitioning and clustering, before any row is sent. Present, gold's new columns are added
 *       to it first; a changed column type, or partitioning other than the spec's, fails here, with
 *       nothing written.
 *   <li>{@code replace} tables, first publishes and {@code --full-refresh}: one load job replaces
 *       the table's rows ({@code WRITE_TRUNCATE}): readers see the old rows or the new ones.
 *   <li>{@code partitions} tables otherwise send only the partitions whose rows changed since the
 *       last publish (per-partition row counts and content hashes of the two gold versions; only
 *       these aggregates meet on the driver): the rows are loaded into a staging table that expires
 *       by itself, then one {@code MERGE} deletes those partitions and inserts the new rows —
 *       atomic, other partitions untouched, a vanished partition emptied. Nothing changed: nothing
 *       is sent.
 *   <li>Parity: row count and measure sums per published partition are read back from BigQuery and
 *       compared with the gold rows ({@link PublishParity}); a difference fails the publish.
 * </ol>
 */
public final class BigQueryGoldSink implements GoldSink {
  /** BigQuery's limit of partitions one job may modify. */
  static final int MAX_PARTITIONS = 4000;

  /** A staging table a killed run leaves behind is dropped by BigQuery after this. */
  private static final long STAGING_LIFETIME_MILLIS = 24L * 3600 * 1000;

  private final BigQuerySettings settings;
  private final BigQueryTableSpec spec;

  public BigQueryGoldSink(BigQuerySettings settings, BigQueryTableSpec spec) {
    this.settings = settings;
    this.spec = spec;
  }

  @Override
  public Publication publish(
      TableId table, Dataset<Row> current, Optional<Dataset<Row>> lastPublished) {
    spec.validate(current.schema());
    TableReference target =
        new TableReference()
            .setProjectId(settings.project())
            .setDatasetId(spec.dataset())
            .setTableId(spec.table());
    String name = BigQueryApi.name(target);
    Optional<PartitionKeys> keys =
        spec.partitionField()
            .map(field -> PartitionKeys.of(field, spec.partitionType(), current.schema()));
    BigQueryApi api = BigQueryApi.connect(settings);
    Optional<Table> existing = api.table(target);

    // Partitions to replace; empty = the whole table.
    Optional<List<String>> changed = Optional.empty();
    if (spec.writeMode() == BigQueryTableSpec.WriteMode.PARTITIONS
        && existing.isPresent()
        && lastPublished.isPresent()) {
      List<String> partitions = changedPartitions(current, lastPublished.get(), keys.get());
      if (partitions.isEmpty()) {
        return Publication.unchanged(name);
      }
      if (partitions.size() <= MAX_PARTITIONS) {
        changed = Optional.of(partitions);
      }
    }
    List<String> added = prepare(api, target, existing, current.schema());
    Dataset<Row> rows =
        (changed.isPresent() ? current.where(keys.get().sparkCondition(changed.get())) : current)
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long count = rows.count();
      if (changed.isPresent()) {
        replacePartitions(api, target, rows, keys.get(), changed.get());
      } else {
        if (keys.isPresent()) {
          checkPartitionCount(name, rows, keys.get());
        }
        SparkBigQueryConnector.write(rows, BigQueryWrite.replacing(name, settings));
      }
      String parity =
          new PublishParity(current.schema(), spec.parityMeasures(), keys)
              .check(api, target, rows, changed);
      List<String> replaced = new ArrayList<>();
      for (String partition : changed.orElse(List.of())) {
        replaced.add(partition == null ? "__NULL__" : partition); // BigQuery's name for it
      }
      return new Publication(
          name,
          changed.isPresent() ? Publication.PARTITIONS : Publication.REPLACED,
          count,
          replaced,
          added,
          parity);
    } finally {
      rows.unpersist();
    }
  }

  /**
   * Makes the table ready for gold's rows; returns the columns added. Throws before anything is
   * written when BigQuery cannot hold gold as the spec says.
   */
  private List<String> prepare(
      BigQueryApi api, TableReference target, Optional<Table> existing, StructType gold) {
    String name = BigQueryApi.name(target);
    TimePartitioning partitioning =
        spec.partitionField()
            .map(field -> new TimePartitioning().setType(spec.partitionType()).setField(field))
            .orElse(null);
    Clustering clustering =
        spec.clustering().isEmpty() ? null : new Clustering().setFields(spec.clustering());
    if (existing.isEmpty()) {
      api.create(
          new Table()
              .setTableReference(target)
              .setSchema(BigQuerySchemas.of(gold))
              .setTimePartitioning(partitioning)
              .setClustering(clustering));
      return List.of();
    }
    Table table = existing.get();
    if (!samePartitioning(table.getTimePartitioning(), partitioning)
        || table.getRangePartitioning() != null) {
      throw new IllegalStateException(
          name
              + " is partitioned "
              + describe(table.getTimePartitioning())
              + " in BigQuery but "
              + describe(partitioning)
              + " in "
              + BigQueryTableSpec.key(spec.source())
              + "; BigQuery cannot change a table's partitioning: drop the table, then publish"
              + " with --full-refresh. Nothing was written");
    }
    SchemaEvolution.Evolved evolved = SchemaEvolution.evolve(name, table.getSchema(), gold);
    List<String> wantedClustering = clustering == null ? null : clustering.getFields();
    List<String> currentClustering =
        table.getClustering() == null ? null : table.getClustering().getFields();
    boolean reclustered = !Objects.equals(wantedClustering, currentClustering);
    if (!evolved.added.isEmpty() || reclustered) {
      Table patch = new Table().setSchema(evolved.schema);
      if (reclustered) {
        // BigQuery takes a new clustering for data written from now on.
        patch.setClustering(clustering == null ? new Clustering() : clustering);
      }
      api.patch(target, patch);
    }
    return evolved.added;
  }

  /**
   * Loads the rows of the changed partitions into a staging table, then replaces those partitions
   * of the target with them in one MERGE: BigQuery applies a DML statement atomically.
   */
  private void replacePartitions(
      BigQueryApi api,
      TableReference target,
      Dataset<Row> rows,
      PartitionKeys keys,
      List<String> partitions) {
    TableReference staging =
        new TableReference()
            .setProjectId(target.getProjectId())
            .setDatasetId(target.getDatasetId())
            .setTableId(
                target.getTableId()
                    + "__publish_"
                    + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    api.create(
        new Table()
            .setTableReference(staging)
            .setSchema(BigQuerySchemas.of(rows.schema()))
            .setExpirationTime(System.currentTimeMillis() + STAGING_LIFETIME_MILLIS));
    try {
      SparkBigQueryConnector.write(
          rows, BigQueryWrite.replacing(BigQueryApi.name(staging), settings));
      List<String> columns = new ArrayList<>();
      for (String column : rows.columns()) {
        columns.add("`" + column + "`");
      }
      String list = String.join(", ", columns);
      List<QueryParameter> parameters = new ArrayList<>();
      String sql =
          "MERGE `"
              + BigQueryApi.name(target)
              + "` AS target USING `"
              + BigQueryApi.name(staging)
              + "` AS source ON FALSE"
              + " WHEN NOT MATCHED BY SOURCE AND "
              + keys.condition("target.", partitions, parameters)
              + " THEN DELETE"
              + " WHEN NOT MATCHED BY TARGET THEN INSERT ("
              + list
              + ") VALUES ("
              + list
              + ")";
      api.query(sql, parameters);
    } finally {
      api.deleteIfExists(staging);
    }
  }

  /** A whole-table load is one job: BigQuery refuses one that writes too many partitions. */
  private void checkPartitionCount(String name, Dataset<Row> rows, PartitionKeys keys) {
    long partitions = rows.select(keys.sparkKey()).distinct().limit(MAX_PARTITIONS + 1).count();
    if (partitions > MAX_PARTITIONS) {
      throw new IllegalStateException(
          name
              + ": gold spans more than "
              + MAX_PARTITIONS
              + " "
              + spec.partitionType()
              + " partitions and one BigQuery job writes at most "
              + MAX_PARTITIONS
              + "; use a coarser "
              + BigQueryTableSpec.key(spec.source())
              + ".partition-type (MONTH). Nothing was written");
    }
  }

  /**
   * Partitions whose rows differ between two versions of a table, a vanished one included. Compared
   * by row count and a sum of row hashes per partition, so only per-partition aggregates, never
   * rows, meet; at most {@code MAX_PARTITIONS + 1} are returned (more means: replace the table).
   */
  private static List<String> changedPartitions(
      Dataset<Row> current, Dataset<Row> previous, PartitionKeys keys) {
    // Renamed apart: the two versions may share lineage (a self-join would be ambiguous).
    Dataset<Row> now = fingerprint(current, keys).toDF("p", "n", "h");
    Dataset<Row> before = fingerprint(previous, keys).toDF("p0", "n0", "h0");
    List<Row> changed =
        now.join(before, col("p").eqNullSafe(col("p0")), "full_outer")
            .where(
                col("n")
                    .isNull()
                    .or(col("n0").isNull())
                    .or(col("n").notEqual(col("n0")))
                    .or(col("h").notEqual(col("h0"))))
            .select(coalesce(col("p"), col("p0")))
            .takeAsList(MAX_PARTITIONS + 1);
    List<String> partitions = new ArrayList<>();
    for (Row row : changed) {
      partitions.add(row.isNullAt(0) ? null : row.getString(0));
    }
    partitions.sort(Comparator.nullsFirst(Comparator.naturalOrder()));
    return partitions;
  }

  private static Dataset<Row> fingerprint(Dataset<Row> frame, PartitionKeys keys) {
    Column[] all = new Column[frame.columns().length];
    for (int i = 0; i < all.length; i++) {
      all[i] = col(frame.columns()[i]);
    }
    return frame
        .groupBy(keys.sparkKey().as("_p"))
        .agg(count(lit(1)).as("_n"), sum(xxhash64(all).cast("decimal(38,0)")).as("_h"));
  }

  private static boolean samePartitioning(TimePartitioning a, TimePartitioning b) {
    if (a == null || b == null) {
      return a == b;
    }
    return Objects.equals(a.getType(), b.getType()) && Objects.equals(a.getField(), b.getField());
  }

  private static String describe(TimePartitioning partitioning) {
    return partitioning == null
        ? "not at all"
        : "by " + partitioning.getType() + " of " + partitioning.getField();
  }
}
