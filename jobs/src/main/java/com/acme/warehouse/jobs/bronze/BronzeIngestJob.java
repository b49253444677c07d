package com.acme.warehouse.jobs.bronze;

import static org.apache.spark.sql.functions.array_contains;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.ops.RunFingerprint;
import com.acme.warehouse.common.spark.SerializableHadoopConf;
import com.typesafe.config.Config;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one source's new files into its bronze table, exactly once per file content.
 *
 * <ol>
 *   <li>List the source's patterns; a file whose path, size and modification time match an earlier
 *       ingestion is skipped unread.
 *   <li>Every other file is read by one task: checksummed, and unless the manifest already has that
 *       checksum for that path (touched, not changed), parsed into records.
 *   <li>Records and manifest rows of all files go to the table in one Delta commit, tagged with an
 *       idempotent transaction id ({@code txnAppId}/{@code txnVersion} = the table version it
 *       started from), so a failed run leaves nothing and two concurrent runs cannot both land.
 * </ol>
 */
public final class BronzeIngestJob implements Job {
  private static final Logger LOG = LoggerFactory.getLogger(BronzeIngestJob.class);
  private static final int MAX_REPORTED_FILES = 50;

  private final BronzeSource source;
  private final List<String> everySourcesPatterns;
  private final boolean recheckKnownFiles;

  BronzeIngestJob(
      BronzeSource source, List<String> everySourcesPatterns, boolean recheckKnownFiles) {
    this.source = source;
    this.everySourcesPatterns = List.copyOf(everySourcesPatterns);
    this.recheckKnownFiles = recheckKnownFiles;
  }

  /** One job per configured source. */
  public static List<JobDefinition> definitions(Config config) {
    List<JobDefinition> jobs = new ArrayList<>();
    // Problems are reported when the selected jobs validate; here only names are needed.
    for (BronzeSource source : BronzeSource.all(new ConfigReader(config).at("bronze"))) {
      String domain = source.domain();
      String name = source.name();
      jobs.add(
          JobDefinition.builder(source.jobName())
              .layer(Layer.BRONZE)
              .domain(domain)
              .description("ingests " + source.patterns() + " into " + source.table())
              .inputs(List.of(source.raw()))
              .outputs(List.of(source.table()))
              .factory(
                  (reader, app) -> {
                    ConfigReader bronze = reader.at("bronze");
                    boolean recheck = bronze.bool("recheck-known-files");
                    List<String> every = new ArrayList<>();
                    BronzeSource.all(bronze).forEach(other -> every.addAll(other.patterns()));
                    return new BronzeIngestJob(
                        BronzeSource.find(reader, domain, name), every, recheck);
                  })
              .build());
    }
    return jobs;
  }

  @Override
  public List<String> describe() {
    return List.of(
        "files: " + source.patterns() + " (" + source.format().name().toLowerCase() + ")",
        "contract: " + source.fields().size() + " fields");
  }

  /**
   * The landed files' paths, sizes, modification and change times: what a new or re-sent file
   * moves.
   */
  @Override
  public Optional<String> rawInputDigest(JobContext context) {
    StringBuilder files = new StringBuilder();
    for (RawFileLister.Listed file : listed(context)) {
      files.append(file.path).append('\t').append(file.size).append('\t');
      // An instant, not Timestamp.toString(): that renders in the JVM's zone.
      files.append(file.modifiedAt).append('\t');
      files.append(file.changedAt == null ? "" : file.changedAt.toInstant()).append('\n');
    }
    // A stray file is a reason to run (and say so), not to skip.
    unclaimed(context).forEach(path -> files.append("unclaimed\t").append(path).append('\n'));
    return Optional.of(RunFingerprint.digest(files.toString()));
  }

  private List<RawFileLister.Listed> listed(JobContext context) {
    return RawFileLister.list(
        context.config().paths().raw(),
        source.patterns(),
        context.spark().sparkContext().hadoopConfiguration());
  }

  private List<String> unclaimed(JobContext context) {
    return RawFileLister.unclaimed(
        context.config().paths().raw(),
        source.patterns(),
        everySourcesPatterns,
        context.spark().sparkContext().hadoopConfiguration());
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    String location = context.location(source.table());
    List<RawFileLister.Listed> listed = listed(context);
    boolean exists = BronzeTables.exists(spark, location);
    Dataset<Row> candidates = candidates(spark, listed, exists ? location : null);
    long candidateCount = candidates.count();
    String before = context.previousWatermark().orElse(null);
    JobResult.Builder result =
        JobResult.builder().watermarkBefore(before).detail("files_listed", listed.size());
    reportUnclaimed(unclaimed(context), result);
    if (candidateCount == 0) {
      if (!exists) {
        // Consumers always find the table, even before the source's first file arrives.
        spark
            .createDataFrame(List.of(), BronzeColumns.schema(source))
            .write()
            .format("delta")
            .partitionBy(BronzeColumns.KIND)
            .option("delta.dataSkippingNumIndexedCols", BronzeColumns.INDEXED_COLUMNS)
            .save(location);
      }
      String message = "0 new files (" + listed.size() + " listed, all ingested before)";
      LOG.info("{}: {}", source.table(), message);
      return result
          .watermarkAfter(before)
          .detail("message", message)
          .detail("files_skipped_known", listed.size())
          .build();
    }
    append(context, location, exists, candidates, candidateCount);
    return summarise(
        spark, location, context.runId(), listed.size(), candidateCount, before, result);
  }

  /**
   * Files beside the deliveries that no source's pattern claims: the run fails naming the first
   * when the source says so, else they are logged and counted in the run's details.
   */
  private void reportUnclaimed(List<String> unclaimed, JobResult.Builder result) {
    if (unclaimed.isEmpty()) {
      return;
    }
    if (source.failOnUnclaimedFile()) {
      throw new IllegalStateException(
          "'"
              + unclaimed.get(0)
              + "' is beside the deliveries of "
              + source.table()
              + " but matches no source's pattern"
              + (unclaimed.size() > 1 ? " (and " + (unclaimed.size() - 1) + " more files)" : "")
              + "; move or rename it, or add a pattern (bronze.sources."
              + source.domain()
              + "."
              + source.name()
              + ".on-unclaimed-file = fail)");
    }
    List<String> examples = unclaimed.subList(0, Math.min(unclaimed.size(), MAX_REPORTED_FILES));
    LOG.warn(
        "{}: {} files beside this source's deliveries match no source's pattern and are not"
            + " ingested (e.g. outside a dt=YYYY-MM-DD folder, or misnamed): {}",
        source.table(),
        unclaimed.size(),
        examples);
    result.detail("files_unclaimed", unclaimed.size()).detail("files_unclaimed_examples", examples);
  }

  /**
   * The new files' records appended in one commit carrying an idempotent transaction id (the table
   * and the version the run started from): of two runs started from the same version, one lands.
   */
  private void append(
      JobContext context,
      String location,
      boolean exists,
      Dataset<Row> candidates,
      long candidateCount) {
    SparkSession spark = context.spark();
    long startVersion =
        exists ? DeltaTable.forPath(spark, location).history(1).head().getLong(0) : -1;
    FileIngestor ingestor =
        new FileIngestor(
            source,
            new SerializableHadoopConf(spark.sparkContext().hadoopConfiguration()),
            context.runId(),
            Timestamp.from(Instant.now()));
    int partitions =
        (int) Math.min(candidateCount, Math.max(1, spark.sparkContext().defaultParallelism() * 4L));
    candidates
        .repartition(partitions)
        .flatMap(ingestor, Encoders.row(BronzeColumns.schema(source)))
        .write()
        .format("delta")
        .mode("append")
        .partitionBy(BronzeColumns.KIND)
        .option("mergeSchema", "true")
        .option("delta.dataSkippingNumIndexedCols", BronzeColumns.INDEXED_COLUMNS)
        .option("txnAppId", "warehouse-bronze:" + source.table())
        .option("txnVersion", startVersion + 1)
        .save(location);
  }

  /**
   * Listed files not known by path, size, modification and change time, with their known checksums
   * (the columns of {@link FileIngestor#CANDIDATE}).
   */
  private Dataset<Row> candidates(
      SparkSession spark, List<RawFileLister.Listed> listed, String location) {
    List<Row> rows = new ArrayList<>();
    for (RawFileLister.Listed file : listed) {
      rows.add(
          RowFactory.create(
              file.path,
              file.size,
              new Timestamp(file.modifiedAt),
              file.deliveryDate,
              null,
              file.changedAt));
    }
    Dataset<Row> files = spark.createDataFrame(rows, FileIngestor.CANDIDATE);
    if (location == null) {
      return files;
    }
    files = files.drop("known_checksums");
    Dataset<Row> manifest =
        BronzeTables.manifest(spark, location)
            .groupBy(col(BronzeColumns.SOURCE_FILE))
            .agg(
                collect_set(col(BronzeColumns.FILE_SHA256)).as("known_checksums"),
                collect_set(
                        struct(
                            col(BronzeColumns.FILE_SIZE),
                            col(BronzeColumns.FILE_MODIFIED_AT),
                            col(BronzeColumns.FILE_CHANGED_AT)))
                    .as("seen"));
    Dataset<Row> joined =
        files.join(
            manifest, files.col("path").equalTo(manifest.col(BronzeColumns.SOURCE_FILE)), "left");
    if (!recheckKnownFiles) {
      Column sameVersion =
          struct(
              col("size").as(BronzeColumns.FILE_SIZE),
              col("modified_at").as(BronzeColumns.FILE_MODIFIED_AT),
              col("changed_at").as(BronzeColumns.FILE_CHANGED_AT));
      joined = joined.where(col("seen").isNull().or(not(array_contains(col("seen"), sameVersion))));
    }
    return joined.selectExpr(FileIngestor.CANDIDATE.fieldNames());
  }

  private JobResult summarise(
      SparkSession spark,
      String location,
      String runId,
      long listed,
      long candidates,
      String before,
      JobResult.Builder result) {
    Dataset<Row> files =
        BronzeTables.manifest(spark, location).where(col(BronzeColumns.RUN_ID).equalTo(runId));
    Row totals = totals(files);
    if (totals.getLong(0) == 0) {
      throw new IllegalStateException(
          source.table()
              + ": another run ingested the same files concurrently; this run wrote nothing");
    }
    long fresh = totals.getLong(1);
    long redelivered = totals.getLong(2);
    long unchanged = totals.getLong(3);
    long records = totals.isNullAt(4) ? 0 : totals.getLong(4);
    long malformed = totals.isNullAt(5) ? 0 : totals.getLong(5);
    String newest = totals.isNullAt(6) ? null : totals.getString(6);
    String after =
        newest == null || (before != null && before.compareTo(newest) > 0) ? before : newest;

    List<Map<String, Object>> reported = findings(totals.<Row>getList(7));
    String message =
        fresh
            + " new files, "
            + redelivered
            + " re-delivered, "
            + unchanged
            + " unchanged; "
            + records
            + " records ("
            + malformed
            + " malformed)";
    LOG.info("{}: {}", source.table(), message);
    return result
        .rowsRead(records)
        .rowsWritten(records)
        .rowsQuarantined(malformed)
        .watermarkAfter(after)
        .detail("message", message)
        .detail("files_skipped_known", listed - candidates)
        .detail("files_new", fresh)
        .detail("files_redelivered", redelivered)
        .detail("files_unchanged", unchanged)
        .detail("records", records)
        .detail("malformed", malformed)
        .detail("files_with_findings", reported)
        .build();
  }

  /**
   * The run's files in one row: how many, new, re-delivered, unchanged, records, malformed, the
   * newest delivery date, and the first files with findings (problems, unknown or missing fields).
   */
  private static Row totals(Dataset<Row> files) {
    Column findings =
        size(col("_file.problems"))
            .gt(0)
            .or(size(col("_file.unknown_fields")).gt(0))
            .or(size(col("_file.missing_required")).gt(0));
    return files
        .agg(
            count(lit(1)),
            sum(when(col("_file.status").equalTo(BronzeColumns.NEW), 1).otherwise(0)),
            sum(when(col("_file.status").equalTo(BronzeColumns.REDELIVERED), 1).otherwise(0)),
            sum(when(col("_file.status").equalTo(BronzeColumns.UNCHANGED), 1).otherwise(0)),
            sum(col("_file.records")),
            sum(col("_file.malformed")),
            max(col(BronzeColumns.DELIVERY_DATE)).cast("string"),
            slice(
                sort_array(
                    collect_list(
                        when(
                            findings,
                            struct(
                                col(BronzeColumns.SOURCE_FILE),
                                col("_file.problems"),
                                col("_file.unknown_fields"),
                                col("_file.missing_required"))))),
                1,
                MAX_REPORTED_FILES))
        .head();
  }

  /** The files with findings as the run's details show them, each also logged. */
  private List<Map<String, Object>> findings(List<Row> files) {
    List<Map<String, Object>> reported = new ArrayList<>();
    for (Row file : files) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("file", file.getString(0));
      entry.put("problems", file.getList(1));
      entry.put("unknown_fields", file.getList(2));
      entry.put("missing_required", file.getList(3));
      reported.add(entry);
      // Counted on the run's line and kept in its details; the records are in quarantine.
      LOG.info("{}: {}", source.table(), entry);
    }
    return reported;
  }
}
