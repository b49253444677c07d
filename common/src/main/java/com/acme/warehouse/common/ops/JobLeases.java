package com.acme.warehouse.common.ops;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.acme.warehouse.common.spark.DriverRows;
import io.delta.tables.DeltaTable;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may write a job's tables right now: one lease per job in {@code <warehouse>/_ops/job_leases},
 * a Delta table partitioned by job. Before the first of its jobs writes anything, a command (a
 * {@code pipeline}, or one job) takes the leases of all the jobs it may run in one MERGE, which
 * inserts them or takes over those that expired. Of two commands started together that share a job,
 * Delta lets exactly one MERGE commit; the other command's jobs fail at once, having read and
 * written nothing, naming the run that holds the lease. The MERGE names the partitions of its own
 * jobs, so commands with no job in common never conflict.
 *
 * <p>The holder renews its leases every third of {@code jobs.lease-ttl} and deletes them when the
 * command ends. A command killed with SIGKILL cannot: its leases expire one TTL after the last
 * renewal, and until then a rerun fails saying so (an Airflow retry delay longer than the TTL never
 * sees it). Expiry is judged by the clocks of the drivers involved, which must agree to within a
 * small part of the TTL. One MERGE per command, not per job: a pipeline of forty jobs pays it once.
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
  private final List<String> jobs;
  private final boolean enabled;
  private final String leaseId = UUID.randomUUID().toString();
  private final ScheduledExecutorService renewals =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("lease-renewal"));

  /** Whether the leases were asked for yet, and if they were refused, why. */
  private boolean asked;

  private LeaseHeldException refused;

  /**
   * @param jobs every job the command may run
   * @param enabled {@code jobs.leases}: false takes none (nothing then stops two commands)
   */
  public JobLeases(
      SparkSession spark,
      String location,
      Duration ttl,
      Clock clock,
      List<String> jobs,
      boolean enabled) {
    this.spark = spark;
    this.location = location;
    this.ttl = ttl;
    this.clock = clock;
    this.jobs = List.copyOf(jobs);
    this.enabled = enabled;
  }

  /** The id under which this command holds its leases (kept in each run's details), if it does. */
  public Optional<String> id() {
    return enabled ? Optional.of(leaseId) : Optional.empty();
  }

  /**
   * Makes sure the command holds the job's lease before the job writes: the first call takes the
   * leases of every job of the command; later calls cost nothing. Throws {@link LeaseHeldException}
   * when another run holds the job's lease, or one of the command's.
   */
  public synchronized void holdFor(String job) {
    if (!enabled) {
      return;
    }
    if (!asked) {
      asked = true;
      refused = acquire();
    }
    if (refused != null) {
      throw refused.forJob(job);
    }
  }

  /** Stops renewing, and deletes the leases the command holds. */
  public synchronized void release() {
    renewals.shutdownNow();
    if (!asked || refused != null) {
      return;
    }
    try {
      renewals.awaitTermination(30, TimeUnit.SECONDS);
      DeltaTable.forPath(spark, location).delete(mine());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.warn("could not release leases {} (they expire): {}", leaseId, e.getMessage());
    }
  }

  /** Takes every lease of the command; null when all are held, else why not. */
  private LeaseHeldException acquire() {
    createIfAbsent();
    Instant now = clock.instant();
    List<Row> claims = new ArrayList<>();
    for (String job : jobs) {
      claims.add(
          RowFactory.create(
              job, leaseId, holder(), Timestamp.from(now), Timestamp.from(now.plus(ttl))));
    }
    try {
      DeltaTable.forPath(spark, location)
          .as("t")
          .merge(
              spark.createDataFrame(claims, SCHEMA).as("s"),
              inPartitions("t.job").and(col("t.job").equalTo(col("s.job"))))
          .whenMatched(col("t.expires_at").lt(col("s.acquired_at")))
          .updateAll()
          .whenNotMatched()
          .insertAll()
          .execute();
    } catch (RuntimeException e) {
      if (!ConcurrentCommits.causedBy(e)) {
        throw e;
      }
      // Another command committed its claim on one of these jobs first: read below who holds what.
    }
    // One row per job at most (a second claim on a job is what Delta refuses); a job has one lease.
    List<Row> leases =
        DriverRows.atMost(
            spark.read().format("delta").load(location).where(inPartitions("job")),
            jobs.size(),
            "leases of the command's jobs");
    Row held = null;
    int mine = 0;
    for (Row lease : leases) {
      if (leaseId.equals(lease.getAs("run_id"))) {
        mine++;
      } else if (held == null) {
        held = lease;
      }
    }
    if (held == null && mine == jobs.size()) {
      long every = Math.max(1, ttl.toMillis() / 3);
      renewals.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
      return null;
    }
    // Not all of them: give back what was taken, so the other command's jobs are not blocked.
    if (mine > 0) {
      DeltaTable.forPath(spark, location).delete(mine());
    }
    return new LeaseHeldException(held);
  }

  private void renew() {
    // The renewal thread was started inside the first job's run and inherited its job group: it
    // would be charged to that job, and cancelled with it if that job timed out.
    spark.sparkContext().setJobGroup("job-leases", "renew the command's job leases", false);
    try {
      DeltaTable.forPath(spark, location)
          .update(mine(), Map.of("expires_at", lit(Timestamp.from(clock.instant().plus(ttl)))));
    } catch (RuntimeException e) {
      // The next renewal tries again; the leases last a whole TTL past the last one that worked.
      LOG.warn("could not renew leases {}: {}", leaseId, e.getMessage());
    }
  }

  /** This command's rows, in its jobs' partitions (which keeps other commands out of conflict). */
  private Column mine() {
    return inPartitions("job").and(col("run_id").equalTo(lit(leaseId)));
  }

  private Column inPartitions(String column) {
    return col(column).isin(jobs.toArray());
  }

  private void createIfAbsent() {
    if (DeltaTable.isDeltaTable(spark, location)) {
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
  }

  private static String holder() {
    try {
      return InetAddress.getLocalHost().getHostName() + " pid " + ProcessHandle.current().pid();
    } catch (UnknownHostException e) {
      return "pid " + ProcessHandle.current().pid();
    }
  }

  /** Another run holds a job's lease. */
  public static final class LeaseHeldException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String heldJob;
    private final String holder;

    /**
     * @param lease the lease row another run holds, or null when it came and went meanwhile
     */
    LeaseHeldException(Row lease) {
      this(
          lease == null ? null : lease.<String>getAs("job"),
          lease == null
              ? "another run took a lease of this command's jobs and released it meanwhile; run"
                  + " again"
              : "(run "
                  + lease.getAs("run_id")
                  + " on "
                  + lease.getAs("holder")
                  + " since "
                  + lease.<Timestamp>getAs("acquired_at").toInstant()
                  + "); nothing was read or written. If that run is dead, its lease expires at "
                  + lease.<Timestamp>getAs("expires_at").toInstant()
                  + " (jobs.lease-ttl)",
          null);
    }

    private LeaseHeldException(String heldJob, String holder, String message) {
      super(message == null ? holder : message);
      this.heldJob = heldJob;
      this.holder = holder;
    }

    /** The failure as one job of the command reports it. */
    LeaseHeldException forJob(String job) {
      String message;
      if (heldJob == null) {
        message = "job " + job + ": " + holder;
      } else if (heldJob.equals(job)) {
        message = "job " + job + ": another run holds its tables " + holder;
      } else {
        message =
            "job "
                + job
                + ": not started: another run holds the tables of "
                + heldJob
                + ", which this command runs too "
                + holder;
      }
      return new LeaseHeldException(heldJob, holder, message);
    }
  }
}
