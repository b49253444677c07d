package com.acme.warehouse.common.ops;

import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.TableId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import scala.Option;

/**
 * The Delta versions of a job's outputs before it ran, so that a run which fails — an error-level
 * quality check on what it wrote, a crash, a timeout — leaves every output as it was: each table
 * the run moved is restored to its version before the run ({@code RESTORE}, a metadata-only
 * commit), and a table the run created is emptied (there is no earlier version to go back to).
 *
 * <p>The rows are committed, checked, and on failure taken back in the same run, rather than staged
 * and checked before the commit: the jobs write with MERGE and overwrite into Delta, and checks
 * such as uniqueness and relationships are about the table as it would be after the commit, which
 * only the commit produces. A reader in the seconds between the commit and the restore can see the
 * rejected version; Delta's history keeps it for inspection ({@code VERSION AS OF}).
 */
public final class OutputVersions {
  private final Map<TableId, Long> before;

  private OutputVersions(Map<TableId, Long> before) {
    this.before = before;
  }

  /** The outputs' versions now (-1 for a table that does not exist yet). */
  public static OutputVersions of(JobDefinition definition, JobContext context) {
    Map<TableId, Long> versions = new LinkedHashMap<>();
    for (TableId output : definition.outputs()) {
      if (!output.isExternal()) {
        versions.put(output, version(context.spark(), context.location(output)));
      }
    }
    return new OutputVersions(versions);
  }

  /**
   * Puts back every output the run moved; returns, per table, the version the run left (rejected)
   * and the one restored. A table that cannot be restored is reported, not thrown: the run has
   * failed already.
   */
  public Map<String, Object> restore(JobContext context) {
    SparkSession spark = context.spark();
    Map<String, Object> restored = new LinkedHashMap<>();
    for (Map.Entry<TableId, Long> output : before.entrySet()) {
      String location = context.location(output.getKey());
      long was = output.getValue();
      long now = version(spark, location);
      if (now == was) {
        continue;
      }
      Map<String, Object> what = new LinkedHashMap<>();
      what.put("rejected_version", now);
      String table = "delta.`" + location.replace("`", "``") + "`";
      try {
        if (was < 0) {
          spark.sql("DELETE FROM " + table);
          what.put("emptied", true);
        } else {
          spark.sql("RESTORE TABLE " + table + " TO VERSION AS OF " + was);
          what.put("restored_version", was);
        }
      } catch (Exception e) { // Delta raises AnalysisException, a checked one, from Scala
        what.put("restore_failed", e.getMessage());
      }
      restored.put(output.getKey().toString(), what);
    }
    return restored;
  }

  private static long version(SparkSession spark, String location) {
    return DeltaLog.forTable(spark, location)
        .update(false, Option.empty(), Option.empty())
        .version();
  }
}
