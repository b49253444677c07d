package com.acme.warehouse.jobs.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.initcap;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.upper;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.contract.FieldSpec;
import com.acme.warehouse.common.silver.Cast;
import com.acme.warehouse.common.silver.Quarantine;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Types bronze rows by their source's contract (the {@code fields} of its bronze config): each
 * field cast to its declared type (a text value trimmed and its letters normalised as the field's
 * {@code case} says), and the first rule a row breaks, in field order: a malformed record, a
 * required field missing, a value its type cannot read, a value not among the accepted ones. A
 * source whose contract says all there is to know is typed by configuration alone.
 */
public final class ContractTyping {
  private ContractTyping() {}

  /** Bronze rows plus {@code _t_<field>} per contract field and {@code rule}/{@code reason}. */
  public static Dataset<Row> type(Dataset<Row> bronze, List<FieldSpec> fields) {
    List<Column> columns = new ArrayList<>();
    columns.add(col("*"));
    Column rule = when(col("_is_malformed"), lit("malformed_record"));
    Column reason = when(col("_is_malformed"), col("_error"));
    for (FieldSpec field : fields) {
      Column raw = col(field.name());
      Column typed = cast(raw, field);
      columns.add(typed.as(TypedRows.TYPED + field.name()));
      if (field.required()) {
        rule = rule.when(Cast.text(raw).isNull(), lit(field.name() + "_missing"));
        reason = reason.when(Cast.text(raw).isNull(), lit(field.name() + " is required"));
      }
      String what = describe(field.type());
      rule = rule.when(Cast.failed(raw, typed), lit(field.name() + "_not_" + field.type()));
      reason = reason.when(Cast.failed(raw, typed), Cast.reason(field.name(), raw, what));
      if (!field.values().isEmpty()) {
        Column rejected =
            typed.isNotNull().and(typed.isin(field.values().toArray()).equalTo(false));
        rule = rule.when(rejected, lit(field.name() + "_not_accepted"));
        reason =
            reason.when(
                rejected,
                concat(lit(field.name() + " '"), raw, lit("' is not one of " + field.values())));
      }
    }
    columns.add(rule.as(Quarantine.RULE));
    columns.add(reason.as(Quarantine.REASON));
    return bronze.select(columns.toArray(new Column[0]));
  }

  private static Column cast(Column raw, FieldSpec field) {
    switch (field.letterCase()) {
      case LOWER:
        return lower(Cast.text(raw));
      case UPPER:
        return upper(Cast.text(raw));
      case TITLE:
        return initcap(lower(Cast.text(raw)));
      default:
        String type = field.type();
        return "string".equals(type) || "json".equals(type) ? Cast.text(raw) : Cast.to(raw, type);
    }
  }

  private static String describe(String type) {
    switch (type) {
      case "bigint":
      case "int":
        return "a whole number";
      case "date":
        return "a date (YYYY-MM-DD)";
      case "timestamp":
        return "an ISO-8601 timestamp";
      case "boolean":
        return "true or false";
      default:
        return type.startsWith("decimal") ? "a " + type + " number" : "a " + type;
    }
  }
}
