package com.acme.warehouse.jobs.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.html.HtmlFile;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.quality.CheckResult;
import com.acme.warehouse.common.spark.DriverRows;
import io.delta.tables.DeltaTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@code report --html PATH}: the last pipeline run, the quality trend and each domain's headline
 * answer as one static HTML page (see {@link RunReportPage}). Reads the run log, the quality
 * results and four gold tables; each is aggregated by Spark to a few hundred rows at most before it
 * reaches the driver, and a table not built yet becomes a note on the page, not a failure. Declares
 * no inputs, so it always runs: the page is for a person, and may have been deleted.
 */
public final class RunReportJob implements Job {
  public static final String NAME = "report";
  private static final int MAX_JOBS = 1_000;
  private static final int MAX_DAYS = 5_000;
  private static final int MAX_GMV_ROWS = 50_000;

  private final String html;

  private RunReportJob(String html) {
    this.html = html;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder(NAME)
        .layer(Layer.UTILITY)
        .description("the last run, quality trend and each domain's answer as one HTML page")
        .inputs(
            "gold.mentoring.rebooking_rate_by_tier",
            "gold.commerce.gmv_monthly_asof",
            "gold.agents.agg_agent_daily_performance")
        // The page shows the last run, which no input's version follows.
        .alwaysRuns()
        .option("--html", "report.html", "PATH", "where to write the page")
        .factory(
            (config, app) -> {
              Optional<String> html = config.optionalString("report.html");
              if (html.isEmpty()) {
                config.problem("report.html", "where to write the page: report --html PATH");
              }
              return new RunReportJob(html.orElse(""));
            })
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    RunReportPage page = new RunReportPage();
    page.generatedAt = Instant.now().toString();
    lastRun(context, page);
    quality(context, page);
    rebooking(context, page);
    gmv(context, page);
    agents(context, page);
    HtmlFile.write(context.spark(), html, page.render());
    context.out().println("report: " + html);
    return JobResult.builder()
        .rowsRead(page.jobs.size())
        .detail("html", html)
        .detail("jobs", page.jobs.size())
        .detail("gmv_as_of_dates", page.gmvAsOf.size())
        .detail("agent_days", page.agentsByDay.size())
        .build();
  }

  private static Optional<Dataset<Row>> table(JobContext context, TableId id) {
    String location = context.location(id);
    if (!DeltaTable.isDeltaTable(context.spark(), location)) {
      return Optional.empty();
    }
    return Optional.of(context.spark().read().format("delta").load(location));
  }

  private static void lastRun(JobContext context, RunReportPage page) {
    Optional<Dataset<Row>> log = table(context, TableId.ops("run_log"));
    if (log.isEmpty()) {
      return;
    }
    List<Row> last =
        log.get()
            .where(col("pipeline_id").isNotNull())
            .orderBy(col("start_time").desc())
            .select("pipeline_id")
            .takeAsList(1);
    if (last.isEmpty()) {
      return;
    }
    page.pipelineId = last.get(0).getString(0);
    List<RunReportPage.JobRun> jobs = new ArrayList<>();
    for (Row run :
        DriverRows.atMost(
            log.get()
                .where(col("pipeline_id").equalTo(page.pipelineId))
                .orderBy("start_time")
                .select("job", "status", "rows_written", "rows_quarantined", "duration_ms"),
            MAX_JOBS,
            "runs of the last pipeline")) {
      jobs.add(
          new RunReportPage.JobRun(
              run.getString(0),
              run.getString(1),
              run.getLong(2),
              run.getLong(3),
              run.getLong(4) / 1000.0));
    }
    page.jobs = jobs;
  }

  private static void quality(JobContext context, RunReportPage page) {
    Optional<Dataset<Row>> results = table(context, TableId.ops("quality_results"));
    if (results.isEmpty()) {
      return;
    }
    Dataset<Row> byDay =
        results
            .get()
            .groupBy(to_date(col("checked_at")).cast("string").as("day"))
            .agg(
                sum(when(col("status").equalTo(CheckResult.PASSED), 1).otherwise(0)).as("passed"),
                sum(when(
                            col("status")
                                .equalTo(CheckResult.FAILED)
                                .and(col("severity").notEqual("warn")),
                            1)
                        .otherwise(0))
                    .as("failed"),
                sum(when(
                            col("status")
                                .equalTo(CheckResult.FAILED)
                                .and(col("severity").equalTo("warn")),
                            1)
                        .otherwise(0))
                    .as("warned"))
            .orderBy("day");
    page.qualityByDay = points(DriverRows.atMost(byDay, MAX_DAYS, "days of quality results"));
  }

  private static void rebooking(JobContext context, RunReportPage page) {
    Optional<Dataset<Row>> rates =
        table(context, TableId.of("gold", "mentoring", "rebooking_rate_by_tier"));
    if (rates.isEmpty()) {
      return;
    }
    List<Row> all =
        DriverRows.atMost(
            rates
                .get()
                .where(col("cohort").equalTo("all"))
                .select(
                    col("tier_group").as("label"),
                    col("rate"),
                    col("ci_low"),
                    col("ci_high"),
                    col("users").cast("double").as("users"),
                    col("fisher_p_value"),
                    col("window_days"),
                    col("data_until").cast("string")),
            100,
            "tier groups");
    page.rebooking = points(all);
    if (!all.isEmpty()) {
      Row first = all.get(0);
      page.fisherP = first.isNullAt(5) ? Double.NaN : first.getDouble(5);
      page.rebookingNote =
          "Window: "
              + first.get(6)
              + " days after the first session; data until "
              + first.getString(7)
              + "; users whose window had not closed are left out.";
    }
  }

  private static void gmv(JobContext context, RunReportPage page) {
    Optional<Dataset<Row>> asOf =
        table(context, TableId.of("gold", "commerce", "gmv_monthly_asof"));
    if (asOf.isEmpty()) {
      return;
    }
    Map<String, List<RunReportPage.Point>> byDate = new LinkedHashMap<>();
    for (Row row :
        DriverRows.atMost(
            asOf.get()
                .select(
                    col("as_of_date").cast("string"),
                    expr("date_format(order_month, 'yyyy-MM')").as("label"),
                    col("gmv_booked").cast("double"),
                    col("gmv_cancelled").cast("double"),
                    col("gmv_net").cast("double"))
                .orderBy("as_of_date", "label"),
            MAX_GMV_ROWS,
            "as-of dates times order months of GMV")) {
      Map<String, Double> values = new LinkedHashMap<>();
      values.put("gmv_booked", row.getDouble(2));
      values.put("gmv_cancelled", row.getDouble(3));
      values.put("gmv_net", row.getDouble(4));
      byDate
          .computeIfAbsent(row.getString(0), d -> new ArrayList<>())
          .add(new RunReportPage.Point(row.getString(1), values));
    }
    page.gmvAsOf = byDate;
  }

  private static void agents(JobContext context, RunReportPage page) {
    Optional<Dataset<Row>> daily =
        table(context, TableId.of("gold", "agents", "agg_agent_daily_performance"));
    if (daily.isEmpty()) {
      return;
    }
    Dataset<Row> byDay =
        daily
            .get()
            .groupBy(col("date").cast("string").as("day"))
            .agg(
                expr("percentile(p95_latency_ms, 0.5)").as("median_p95_ms"),
                max("p95_latency_ms").cast("double").as("max_p95_ms"),
                // Weighted by each agent's approvals that day; an agent with none judged is out.
                expr("sum(sla_compliance * approvals) / sum(if(sla_compliance IS NULL, 0, approvals))")
                    .as("sla_compliance"))
            .orderBy("day");
    page.agentsByDay = points(DriverRows.atMost(byDay, MAX_DAYS, "days of agent performance"));
  }

  /** Rows whose first column is the label and whose numeric columns are the values. */
  private static List<RunReportPage.Point> points(List<Row> rows) {
    List<RunReportPage.Point> points = new ArrayList<>();
    for (Row row : rows) {
      Map<String, Double> values = new LinkedHashMap<>();
      String[] names = row.schema().fieldNames();
      for (int i = 1; i < names.length; i++) {
        Object value = row.get(i);
        if (value instanceof Number) {
          values.put(names[i], ((Number) value).doubleValue());
        }
      }
      points.add(new RunReportPage.Point(String.valueOf(row.get(0)), values));
    }
    return points;
  }
}
