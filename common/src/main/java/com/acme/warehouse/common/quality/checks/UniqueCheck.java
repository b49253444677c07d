package com.acme.warehouse.common.quality.checks;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;

import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.CheckSpec;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * {@code unique}: no two rows in scope share the columns' values. Exact, by sorting rather than
 * grouping: the rows are spread by key, sorted within each partition, and equal neighbours counted
 * — about half the cost of a group-by when nearly every key is distinct, the usual case. Rows with
 * a null in the key are left to not_null. Only a failing check runs the group-by, for its sample.
 */
public final class UniqueCheck extends TableCheck {
  public UniqueCheck(CheckSpec spec) {
    super(spec);
  }

  @Override
  public CheckResult runAlone(CheckContext context) {
    Column[] columns = spec.columns().stream().map(c -> col(c)).toArray(Column[]::new);
    Column anyNull = lit(false);
    for (Column column : columns) {
      anyNull = anyNull.or(column.isNull());
    }
    Dataset<Row> keys =
        context.data.where(CheckContext.scope(spec).and(not(anyNull))).select(columns);
    long repeats =
        keys.repartition(columns)
            .sortWithinPartitions(columns)
            .mapPartitions(
                (MapPartitionsFunction<Row, Long>)
                    rows -> {
                      long n = 0;
                      Row previous = null;
                      while (rows.hasNext()) {
                        Row row = rows.next();
                        if (row.equals(previous)) {
                          n++;
                        }
                        previous = row;
                      }
                      return List.of(n).iterator();
                    },
                Encoders.LONG())
            // An empty table has no partitions after the shuffle: sum, not reduce, gives it 0.
            .agg(coalesce(sum("value"), lit(0L)))
            .head()
            .getLong(0);
    if (repeats == 0) {
      return context.result(
          spec, true, 0, -1, "every value of " + spec.columns() + " appears once", List.of(), null);
    }
    Dataset<Row> duplicates = keys.groupBy(columns).count().where(col("count").gt(1));
    long values = duplicates.count();
    return context.result(
        spec,
        false,
        values,
        -1,
        values
            + " values of "
            + spec.columns()
            + " appear more than once ("
            + (values + repeats)
            + " rows)",
        context.sample(duplicates),
        null);
  }
}
