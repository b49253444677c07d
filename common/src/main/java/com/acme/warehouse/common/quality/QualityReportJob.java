package com.acme.warehouse.common.quality;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.html.HtmlFile;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.spark.DriverRows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * {@code quality-report [--html PATH]}: the latest result of every check of every table, printed as
 * a table; optionally a small HTML page with, per table, the trend of rows checked and of failed
 * checks over its last runs (inline SVG, no scripts).
 */
public final class QualityReportJob implements Job {
  public static final String NAME = "quality-report";
  private static final int RUNS_CHARTED = 30;
  private static final int MAX_PRINTED = 500;

  private final String html;

  QualityReportJob(String html) {
    this.html = html;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder(NAME)
        .layer(Layer.UTILITY)
        .description("latest data-quality results per table, optionally as HTML")
        .option(
            "--html", "quality.report.html", "PATH", "also write an HTML page with trend charts")
        .factory(
            (config, app) ->
                new QualityReportJob(config.optionalString("quality.report.html").orElse(null)))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    QualityResults results =
        new QualityResults(context.spark(), context.location(TableId.ops("quality_results")));
    Dataset<Row> all = results.read();
    Dataset<Row> latest =
        all.withColumn(
                "_rank",
                row_number()
                    .over(
                        Window.partitionBy("table_id", "check").orderBy(col("checked_at").desc())))
            .where(col("_rank").equalTo(1))
            .orderBy("table_id", "check");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"TABLE", "CHECK", "SEVERITY", "STATUS", "OFFENDING", "DETAIL"});
    long failed = 0;
    for (Row r :
        latest
            .select("table_id", "check", "severity", "status", "offending", "detail")
            .takeAsList(MAX_PRINTED)) {
      String status = r.getString(3);
      failed += CheckResult.FAILED.equals(status) ? 1 : 0;
      rows.add(
          new String[] {
            r.getString(0),
            r.getString(1),
            r.getString(2),
            status,
            String.valueOf(r.get(4)),
            r.getString(5)
          });
    }
    context.out().print(format(rows));
    if (html != null) {
      writeHtml(context, all);
    }
    return JobResult.builder()
        .rowsRead(rows.size() - 1)
        .detail("failed_checks", failed)
        .detail("html", html)
        .build();
  }

  private void writeHtml(JobContext context, Dataset<Row> all) {
    Dataset<Row> perRun =
        all.groupBy("table_id", "run_id")
            .agg(
                max("checked_at").as("at"),
                max(when(col("check_type").equalTo("row_count"), col("value"))).as("rows"),
                max("checked").as("checked"),
                sum(when(col("status").equalTo(CheckResult.FAILED), 1).otherwise(0)).as("failed"),
                count("check").as("checks"),
                first("job").as("job"));
    Map<String, List<Row>> byTable = new LinkedHashMap<>();
    for (Row r :
        DriverRows.atMost(
            perRun
                .withColumn(
                    "_rank",
                    row_number().over(Window.partitionBy("table_id").orderBy(col("at").desc())))
                .where(col("_rank").leq(RUNS_CHARTED))
                .orderBy("table_id", "at"),
            RUNS_CHARTED * 1000,
            "charted quality runs (" + RUNS_CHARTED + " per table)")) {
      byTable.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r);
    }
    StringBuilder page = new StringBuilder();
    page.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>Data quality</title>")
        .append(
            "<style>body{font-family:sans-serif;margin:2em}svg{background:#fafafa;border:1px solid #ddd}")
        .append(".bad{color:#b00}</style></head><body><h1>Data quality</h1>");
    for (Map.Entry<String, List<Row>> table : byTable.entrySet()) {
      List<Row> runs = table.getValue();
      Row last = runs.get(runs.size() - 1);
      long lastFailed = last.getLong(last.fieldIndex("failed"));
      page.append("<h2>")
          .append(HtmlFile.escape(table.getKey()))
          .append("</h2><p>last run ")
          .append(HtmlFile.escape(String.valueOf(last.get(last.fieldIndex("at")))))
          .append(
              lastFailed == 0
                  ? ": all checks passed"
                  : ": <span class=\"bad\">" + lastFailed + " failed</span>")
          .append("</p>");
      page.append(chart(runs, "rows", "rows")).append(chart(runs, "failed", "failed checks"));
    }
    page.append("</body></html>\n");
    HtmlFile.write(context.spark(), html, page.toString());
  }

  /** A line chart of one per-run number, as inline SVG. */
  private static String chart(List<Row> runs, String field, String label) {
    int width = 480;
    int height = 100;
    double top = 0;
    List<Double> values = new ArrayList<>();
    for (Row run : runs) {
      Object v = run.get(run.fieldIndex(field));
      double value = v == null ? 0 : ((Number) v).doubleValue();
      values.add(value);
      top = Math.max(top, value);
    }
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      double x = values.size() == 1 ? width / 2.0 : 10 + i * (width - 20.0) / (values.size() - 1);
      double y = height - 10 - (top == 0 ? 0 : values.get(i) / top * (height - 30));
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return String.format(
        Locale.ROOT,
        "<figure><svg width=\"%d\" height=\"%d\"><polyline fill=\"none\" stroke=\"#36c\" stroke-width=\"2\" points=\"%s\"/>"
            + "<text x=\"10\" y=\"14\" font-size=\"12\">%s (max %.0f, last %.0f)</text></svg></figure>",
        width,
        height,
        points.toString().trim(),
        HtmlFile.escape(label),
        top,
        values.get(values.size() - 1));
  }

  private static String format(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        widths[c] = Math.max(widths[c], row[c] == null ? 4 : Math.min(row[c].length(), 90));
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < row.length; c++) {
        String cell =
            row[c] == null
                ? "null"
                : row[c].length() > 90 ? row[c].substring(0, 87) + "..." : row[c];
        line.append(cell).append(" ".repeat(widths[c] - cell.length())).append("  ");
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }
}
