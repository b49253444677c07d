package com.acme.warehouse.common.quality.checks;

import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.quality.CheckSpec;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code sql}: a query returning the offending rows, reading the table as {@code {table}} and any
 * other warehouse table as {@code {<layer>.<domain>.<table>}}.
 */
public final class SqlCheck extends TableCheck {
  private static final Pattern TABLE_REFERENCE =
      Pattern.compile("\\{((?:bronze|silver|gold)\\.[a-z0-9_]+\\.[a-z0-9_]+)\\}");

  public SqlCheck(CheckSpec spec) {
    super(spec);
  }

  @Override
  public CheckResult runAlone(CheckContext context) {
    String view = "_quality_" + UUID.randomUUID().toString().replace("-", "");
    context.data.createOrReplaceTempView(view);
    try {
      Dataset<Row> offending =
          context.spark.sql(withTables(context, spec.query().replace("{table}", view)));
      long count = offending.count();
      return context.result(
          spec,
          count == 0,
          count,
          -1,
          count + " rows returned by the check's query",
          count == 0 ? List.of() : context.sample(offending),
          null);
    } finally {
      context.spark.catalog().dropTempView(view);
    }
  }

  /** {@code {<layer>.<domain>.<table>}} in a check's query: that table, read from its location. */
  private static String withTables(CheckContext context, String query) {
    Matcher matcher = TABLE_REFERENCE.matcher(query);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String location = context.tables.of(TableId.parse(matcher.group(1)));
      matcher.appendReplacement(out, Matcher.quoteReplacement("delta.`" + location + "`"));
    }
    matcher.appendTail(out);
    return out.toString();
  }
}
