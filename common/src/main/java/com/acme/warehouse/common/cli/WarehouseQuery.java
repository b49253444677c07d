package com.acme.warehouse.common.cli;

import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobRegistry;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.job.TableLocations;
import com.acme.warehouse.common.ops.RunLog;
import com.acme.warehouse.common.ops.RunRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructField;
import scala.collection.JavaConverters;

/**
 * {@code sql} and {@code show}: looking at the warehouse without writing Spark code. A statement
 * names tables as the manifest does ({@code gold.commerce.gmv_monthly}, {@code _ops.run_log}); each
 * name is resolved to its Delta location before Spark parses the statement. Statements that write
 * are refused unless asked for, so a query typed against production cannot change it. Results are
 * taken up to a limit, never collected whole.
 */
final class WarehouseQuery {
  /** {@code layer.domain.table} or {@code _ops.table}, outside quotes and backticks. */
  private static final Pattern TABLE_NAME =
      Pattern.compile(
          "(?<![\\w.`])((?:bronze|silver|gold)\\.[a-z][a-z0-9_]*\\.[a-z][a-z0-9_]*"
              + "|_ops\\.[a-z][a-z0-9_]*)(?![\\w.`])");

  private static final List<String> READ_ONLY_COMMANDS = List.of("describe", "desc", "show");

  enum Format {
    TABLE,
    CSV,
    JSON
  }

  private final SparkSession spark;
  private final JobRegistry registry;
  private final TableLocations tables;
  private final PrintStream out;

  WarehouseQuery(SparkSession spark, JobRegistry registry, TableLocations tables, PrintStream out) {
    this.spark = spark;
    this.registry = registry;
    this.tables = tables;
    this.out = out;
  }

  /** Every table id the manifest names, and the operational tables. */
  private TreeSet<String> known() {
    TreeSet<String> ids =
        new TreeSet<>(List.of("_ops.run_log", "_ops.quality_results", "_ops.configs"));
    for (JobDefinition job : registry.jobs()) {
      job.inputs().stream().filter(t -> !t.isExternal()).forEach(t -> ids.add(t.toString()));
      job.outputs().stream().filter(t -> !t.isExternal()).forEach(t -> ids.add(t.toString()));
    }
    return ids;
  }

  /** The statement with each warehouse table name replaced by its Delta location. */
  String resolve(String statement) {
    TreeSet<String> known = known();
    StringBuilder resolved = new StringBuilder();
    // Quoted text is copied as it is: a name inside a string literal is data, not a table.
    Matcher quoted =
        Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`")
            .matcher(statement);
    int at = 0;
    while (quoted.find()) {
      resolved.append(resolveNames(statement.substring(at, quoted.start()), known));
      resolved.append(quoted.group());
      at = quoted.end();
    }
    resolved.append(resolveNames(statement.substring(at), known));
    return resolved.toString();
  }

  private String resolveNames(String text, TreeSet<String> known) {
    Matcher names = TABLE_NAME.matcher(text);
    StringBuilder resolved = new StringBuilder();
    while (names.find()) {
      String name = names.group(1);
      if (!known.contains(name)) {
        throw new UsageException(
            "unknown table '" + name + "' (known: " + String.join(", ", known) + ")",
            "Usage: warehouse sql \"SELECT ... FROM <layer>.<domain>.<table>\"");
      }
      String location = tables.of(TableId.parse(name));
      names.appendReplacement(
          resolved, Matcher.quoteReplacement("delta.`" + location.replace("`", "``") + "`"));
    }
    names.appendTail(resolved);
    return resolved.toString();
  }

  /** Runs one statement and prints at most {@code limit} rows of its result. */
  void sql(String statement, Format format, int limit, boolean allowWrites) {
    String resolved = resolve(statement);
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(resolved);
    } catch (org.apache.spark.sql.catalyst.parser.ParseException | RuntimeException e) {
      throw new UsageException(
          "cannot parse the statement: " + Failures.oneLine(e),
          "Usage: warehouse sql \"SELECT ...\"");
    }
    if (!allowWrites && writes(plan, statement)) {
      throw new UsageException(
          "the statement writes or changes the warehouse; add --allow-writes to run it",
          "Usage: warehouse sql \"...\" --allow-writes");
    }
    Dataset<Row> result = spark.sql(resolved);
    List<Row> rows = result.takeAsList(limit + 1);
    boolean more = rows.size() > limit;
    print(result, more ? rows.subList(0, limit) : rows, format);
    if (more && format == Format.TABLE) {
      out.println("(first " + limit + " rows; --limit N shows more)");
    }
  }

  private static boolean writes(LogicalPlan plan, String statement) {
    String first = statement.trim().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
    if (READ_ONLY_COMMANDS.contains(first)) {
      return false;
    }
    return anyWrite(plan);
  }

  private static boolean anyWrite(LogicalPlan plan) {
    if (plan instanceof Command || plan instanceof InsertIntoStatement) {
      return true;
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(plan.children())) {
      if (anyWrite(child)) {
        return true;
      }
    }
    return false;
  }

  /** A table's schema, size, Delta version and the run that last wrote it. */
  void show(String id) {
    TableId table;
    try {
      table = TableId.parse(id);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage(), "Usage: warehouse show <layer>.<domain>.<table>");
    }
    if (!known().contains(table.toString())) {
      throw new UsageException(
          "unknown table '" + id + "' (known: " + String.join(", ", known()) + ")",
          "Usage: warehouse show <layer>.<domain>.<table>");
    }
    String location = tables.of(table);
    if (!DeltaTable.isDeltaTable(spark, location)) {
      out.println(id + "  " + location);
      out.println("not written yet");
      return;
    }
    Dataset<Row> rows = spark.read().format("delta").load(location);
    Row last = DeltaTable.forPath(spark, location).history(1).head();
    out.println(id + "  " + location);
    out.println(
        String.format(
            Locale.ROOT,
            "rows %,d  delta version %d  written %s by %s",
            rows.count(),
            last.<Long>getAs("version"),
            last.getAs("timestamp"),
            last.<String>getAs("operation")));
    lastWriter(table).ifPresent(out::println);
    List<String[]> columns = new ArrayList<>();
    columns.add(new String[] {"COLUMN", "TYPE", "NULLABLE"});
    for (StructField field : rows.schema().fields()) {
      columns.add(
          new String[] {
            field.name(), field.dataType().simpleString(), field.nullable() ? "yes" : "no"
          });
    }
    out.print(TextTable.format(columns, 3));
  }

  /** The latest run of the job that writes the table, from the run log. */
  private Optional<String> lastWriter(TableId table) {
    Optional<JobDefinition> writer =
        registry.jobs().stream().filter(job -> job.outputs().contains(table)).findFirst();
    if (writer.isEmpty()) {
      return Optional.empty();
    }
    List<Row> runs =
        new RunLog(spark, tables.runLog())
            .read()
            .where(
                functions
                    .col("job")
                    .equalTo(writer.get().name())
                    .and(functions.col("status").notEqual(RunRecord.SKIPPED)))
            .orderBy(functions.col("start_time").desc())
            .select("run_id", "status", "end_time", "rows_written")
            .takeAsList(1);
    if (runs.isEmpty()) {
      return Optional.empty();
    }
    Row run = runs.get(0);
    return Optional.of(
        String.format(
            Locale.ROOT,
            "last run of %s: %s at %s, %,d rows written (run %s)",
            writer.get().name(),
            run.getString(1),
            run.get(2),
            run.getLong(3),
            run.getString(0)));
  }

  private void print(Dataset<Row> result, List<Row> rows, Format format) {
    String[] names = result.columns();
    switch (format) {
      case JSON:
        ObjectMapper json = new ObjectMapper();
        for (Row row : rows) {
          Map<String, Object> object = new LinkedHashMap<>();
          for (int i = 0; i < names.length; i++) {
            Object value = row.get(i);
            object.put(
                names[i],
                value == null || value instanceof Number || value instanceof Boolean
                    ? value
                    : value.toString());
          }
          try {
            out.println(json.writeValueAsString(object));
          } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
          }
        }
        return;
      case CSV:
        out.println(csvLine(names));
        for (Row row : rows) {
          out.println(csvLine(cells(row)));
        }
        return;
      default:
        List<String[]> table = new ArrayList<>();
        table.add(names);
        for (Row row : rows) {
          table.add(cells(row));
        }
        out.print(TextTable.format(table, names.length));
        out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
    }
  }

  private static String[] cells(Row row) {
    String[] cells = new String[row.length()];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = row.isNullAt(i) ? "NULL" : String.valueOf(row.get(i));
    }
    return cells;
  }

  private static String csvLine(String[] cells) {
    List<String> quoted = new ArrayList<>();
    for (String cell : cells) {
      boolean plain = cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0;
      quoted.add(plain ? cell : "\"" + cell.replace("\"", "\"\"") + "\"");
    }
    return String.join(",", quoted);
  }
}
