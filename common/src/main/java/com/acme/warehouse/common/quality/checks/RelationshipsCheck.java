package com.acme.warehouse.common.quality.checks;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;

import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.CheckSpec;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code relationships}: every non-null value exists in the parent table's column. A parent of at
 * most {@value #BROADCAST_KEYS} keys is broadcast into the shared pass; a bigger one gets its own
 * anti-join.
 */
public final class RelationshipsCheck extends TableCheck {
  static final long BROADCAST_KEYS = 2_000_000;

  private final long broadcastKeys;

  /** The joined parent key's column in the shared pass; null when the parent is too big. */
  private String parentColumn;

  public RelationshipsCheck(CheckSpec spec) {
    this(spec, BROADCAST_KEYS);
  }

  /** With another limit on the keys broadcast into the shared pass (a test takes either path). */
  public RelationshipsCheck(CheckSpec spec, long broadcastKeys) {
    super(spec);
    this.broadcastKeys = broadcastKeys;
  }

  @Override
  public Dataset<Row> prepare(CheckContext context, Dataset<Row> shared) {
    Dataset<Row> keys = parentKeys(context);
    if (keys.count() > broadcastKeys) {
      return shared;
    }
    parentColumn = context.nextParentColumn();
    return shared.join(
        broadcast(keys.withColumnRenamed("_parent_key", parentColumn)),
        col(spec.columns().get(0)).equalTo(col(parentColumn)),
        "left");
  }

  @Override
  public boolean inSharedPass() {
    return parentColumn != null;
  }

  private Column orphan() {
    return col(spec.columns().get(0)).isNotNull().and(col(parentColumn).isNull());
  }

  @Override
  public List<Column> aggregates() {
    return offendingAndInScope(spec, orphan());
  }

  @Override
  public CheckResult judge(CheckContext context, Dataset<Row> shared, Row row, int at) {
    long offending = longAt(row, at);
    List<String> sample =
        offending == 0
            ? List.of()
            : context.sampleWhere(shared, CheckContext.scope(spec).and(orphan()));
    return result(context, offending, sample);
  }

  @Override
  public CheckResult runAlone(CheckContext context) {
    String column = spec.columns().get(0);
    Dataset<Row> orphans =
        context
            .data
            .where(CheckContext.scope(spec).and(col(column).isNotNull()))
            .join(parentKeys(context), col(column).equalTo(col("_parent_key")), "left_anti");
    long offending = orphans.count();
    return result(context, offending, offending == 0 ? List.of() : context.sample(orphans));
  }

  private Dataset<Row> parentKeys(CheckContext context) {
    return context.read(spec.toTable()).select(col(spec.toColumn()).as("_parent_key")).distinct();
  }

  private CheckResult result(CheckContext context, long offending, List<String> sample) {
    return context.result(
        spec,
        offending == 0,
        offending,
        -1,
        offending
            + " rows whose "
            + spec.columns().get(0)
            + " is not in "
            + spec.toTable()
            + "."
            + spec.toColumn(),
        sample,
        null);
  }
}
