package com.acme.warehouse.common.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.delta.tables.DeltaTable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may write a job's tables right now: one lease per job in {@code <warehouse>/_ops/job_leases},
 * a Delta table partitioned by job. A run that is going to write takes its job's lease first (a
 * MERGE that inserts it, or takes over one that expired); of two runs of the same job started
 * together, Delta lets exactly one MERGE commit, and the other fails before it reads or writes
 * anything, naming the run that holds the lease. Leases of different jobs live in different
 * partitions, and each MERGE names its partition, so different jobs never conflict.
 *
 * <p>The holder renews its lease every third of {@code jobs.lease-ttl} and deletes it when the run
 * ends (in the background: nothing waits for it but the end of the command, {@link
 * #awaitReleases}). A run killed with SIGKILL cannot delete it: its lease expires one TTL after the
 * last renewal, and until then a rerun of the job fails saying so (an Airflow retry delay longer
 * than the TTL never sees it). Expiry is judged by the clocks of the drivers involved, which must
 * agree to within a small part of the TTL.
 */
public final class JobLeases {
  private static final Logger LOG = LoggerFactory.getLogger(JobLeases.class);
  private static final StructType SCHEMA =
      StructType.fromDDL(
          "job STRING NOT NULL, run_id STRING NOT NULL, holder STRING, acquired_at TIMESTAMP,"
              + " expires_at TIMESTAMP");

  private final SparkSession spark;
  private final String location;
  private final Duration ttl;
  private final Clock clock;
  private volatile boolean created;
  private final ExecutorService releases =
      Executors.newSingleThreadExecutor(DaemonThreads.named("lease-release"));

  public JobLeases(SparkSession spark, String location, Duration ttl, Clock clock) {
    this.spark = spark;
    this.location = location;
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * Takes the job's lease for the run, or throws {@link LeaseHeldException} naming the run that
   * holds it. The returned lease renews itself until closed; closing releases it.
   */
  public Lease acquire(String job, String runId) {
    createIfAbsent();
    Instant now = clock.instant();
    Dataset<Row> claim =
        spark.createDataFrame(
            List.of(
                RowFactory.create(
                    job, runId, holder(), Timestamp.from(now), Timestamp.from(now.plus(ttl)))),
            SCHEMA);
    try {
      DeltaTable.forPath(spark, location)
          .as("t")
          .merge(claim.as("s"), inPartition(job).and(col("t.job").equalTo(col("s.job"))))
          .whenMatched(col("t.expires_at").lt(col("s.acquired_at")))
          .updateAll()
          .whenNotMatched()
          .insertAll()
          .execute();
    } catch (RuntimeException e) {
      if (!ConcurrentCommits.causedBy(e)) {
        throw e;
      }
      // Another run of this job committed its claim first; who holds it is read below.
    }
    Row holder = current(job);
    if (holder == null || !runId.equals(holder.getAs("run_id"))) {
      throw new LeaseHeldException(job, holder);
    }
    return new Lease(job, runId);
  }

  /** Waits (at most a minute) for the leases of finished runs to be deleted. */
  public void awaitReleases() {
    releases.shutdown();
    try {
      if (!releases.awaitTermination(1, TimeUnit.MINUTES)) {
        LOG.warn("leases not released within a minute; they expire (jobs.lease-ttl)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The lease row of a job, or null. */
  private Row current(String job) {
    List<Row> rows =
        spark
            .read()
            .format("delta")
            .load(location)
            .where(col("job").equalTo(lit(job)))
            .limit(2)
            .collectAsList();
    return rows.isEmpty() ? null : rows.get(0);
  }

  private static Column inPartition(String job) {
    return col("t.job").equalTo(lit(job));
  }

  private void createIfAbsent() {
    if (created || DeltaTable.isDeltaTable(spark, location)) {
      created = true;
      return;
    }
    try {
      DeltaTable.createIfNotExists(spark)
          .location(location)
          .addColumns(SCHEMA)
          .partitionedBy("job")
          .execute();
    } catch (RuntimeException e) {
      // Two first runs raced to create it: the other one's table is as good as ours.
      if (!DeltaTable.isDeltaTable(spark, location)) {
        throw e;
      }
    }
    created = true;
  }

  private static String holder() {
    try {
      return InetAddress.getLocalHost().getHostName() + " pid " + ProcessHandle.current().pid();
    } catch (UnknownHostException e) {
      return "pid " + ProcessHandle.current().pid();
    }
  }

  /** A lease held by this run: renewed in the background, released by {@link #close()}. */
  public final class Lease implements AutoCloseable {
    private final String job;
    private final String runId;
    private final ScheduledExecutorService renewals;

    private Lease(String job, String runId) {
      this.job = job;
      this.runId = runId;
      this.renewals =
          Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("lease-" + job));
      long every = Math.max(1, ttl.toMillis() / 3);
      renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    }

    private void renew() {
      try {
        DeltaTable.forPath(spark, location)
            .update(
                col("job").equalTo(lit(job)).and(col("run_id").equalTo(lit(runId))),
                Map.of("expires_at", lit(Timestamp.from(clock.instant().plus(ttl)))));
      } catch (RuntimeException e) {
        // The next renewal tries again; the lease lasts a whole TTL past the last one that worked.
        LOG.warn("job {} run {}: could not renew its lease: {}", job, runId, e.getMessage());
      }
    }

    /** Stops renewing and deletes the lease, so the next run need not wait for it to expire. */
    @Override
    public void close() {
      renewals.shutdownNow();
      releases.execute(
          () -> {
            try {
              renewals.awaitTermination(30, TimeUnit.SECONDS);
              DeltaTable.forPath(spark, location)
                  .delete(col("job").equalTo(lit(job)).and(col("run_id").equalTo(lit(runId))));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
              LOG.warn(
                  "job {} run {}: could not release its lease (it expires): {}", job, runId, e);
            }
          });
    }
  }

  /** Another run of the job holds its lease. */
  public static final class LeaseHeldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LeaseHeldException(String job, Row holder) {
      super(
          holder == null
              ? "job " + job + ": another run took its lease and released it meanwhile; run again"
              : "job "
                  + job
                  + ": another run holds its tables (run "
                  + holder.getAs("run_id")
                  + " on "
                  + holder.getAs("holder")
                  + " since "
                  + holder.<Timestamp>getAs("acquired_at").toInstant()
                  + "); nothing was read or written. If that run is dead, its lease expires at "
                  + holder.<Timestamp>getAs("expires_at").toInstant()
                  + " (jobs.lease-ttl)");
    }
  }
}
