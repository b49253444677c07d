package com.acme.warehouse.jobs.silver;

import com.acme.warehouse.common.contract.FieldSpec;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.scd.ScdSpec;
import com.acme.warehouse.common.silver.Watermark;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The run of a silver table kept from full exports whose rows carry their own effective time
 * (mentoring users and mentors, agents): the new bronze rows typed by the contract, rows that would
 * rewrite a version quarantined, the rest historised as SCD2, every export of the run in one merge
 * ({@link SilverLoad#historiseDeliveries}). What differs between sources is stated by the builder
 * methods; the steps are the same for all.
 */
public final class ExportHistory {
  private final TableId bronze;
  private final TableId silver;
  private final TableId quarantine;
  private final String key;
  private final String updatedAt;
  private final UnaryOperator<Dataset<Row>> shape;
  private final boolean keyConflictsQuarantined;
  private final boolean missingMeansDeleted;

  private ExportHistory(
      TableId bronze,
      TableId silver,
      TableId quarantine,
      String key,
      String updatedAt,
      UnaryOperator<Dataset<Row>> shape,
      boolean keyConflictsQuarantined,
      boolean missingMeansDeleted) {
    this.bronze = bronze;
    this.silver = silver;
    this.quarantine = quarantine;
    this.key = key;
    this.updatedAt = updatedAt;
    this.shape = shape;
    this.keyConflictsQuarantined = keyConflictsQuarantined;
    this.missingMeansDeleted = missingMeansDeleted;
  }

  /**
   * A database export: a version of {@code key} per distinct {@code updatedAt}, and a key missing
   * from an export deleted as of that export.
   */
  public static ExportHistory of(
      TableId bronze, TableId silver, TableId quarantine, String key, String updatedAt) {
    return new ExportHistory(
        bronze, silver, quarantine, key, updatedAt, UnaryOperator.identity(), false, true);
  }

  /** Typed rows reshaped before they are judged (e.g. a JSON array parsed). */
  public ExportHistory shaped(UnaryOperator<Dataset<Row>> shape) {
    return new ExportHistory(
        bronze,
        silver,
        quarantine,
        key,
        updatedAt,
        shape,
        keyConflictsQuarantined,
        missingMeansDeleted);
  }

  /** A key one export gives different rows is quarantined whole ({@link Acceptance#accept}). */
  public ExportHistory keyConflictsQuarantined() {
    return new ExportHistory(
        bronze, silver, quarantine, key, updatedAt, shape, true, missingMeansDeleted);
  }

  /** A sheet kept by hand: a row missing from an export is not a deletion. */
  public ExportHistory missingRowsKept() {
    return new ExportHistory(
        bronze, silver, quarantine, key, updatedAt, shape, keyConflictsQuarantined, false);
  }

  public JobResult run(JobContext context, List<FieldSpec> fields) {
    Watermark before = Watermark.parse(context.previousWatermark());
    Dataset<Row> rows = SilverLoad.newBronzeRows(context, bronze, before, silver, quarantine);
    try {
      Dataset<Row> typed = shape.apply(ContractTyping.type(rows, fields));
      Acceptance.Accepted accepted =
          Acceptance.acceptExport(
              context.spark(),
              TypedRows.withVersionConflicts(
                  context.spark(), typed, List.of(key), updatedAt, context.location(silver)),
              keyConflictsQuarantined ? List.of(key) : List.of(),
              context.location(quarantine),
              context.runId());
      return SilverLoad.historiseDeliveries(
          context,
          rows,
          before,
          accepted,
          silver,
          ScdSpec.builder(key).timestamp(updatedAt).deletionVectors(false),
          missingMeansDeleted);
    } finally {
      rows.unpersist();
    }
  }
}
