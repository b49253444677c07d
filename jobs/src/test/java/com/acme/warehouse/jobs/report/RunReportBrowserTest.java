package com.acme.warehouse.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.ops.RunLog;
import com.acme.warehouse.common.ops.RunRecord;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code report --html} over a small warehouse, opened in a real headless browser (Debian's
 * chromium; {@code .ci/run} installs it and sets REQUIRE_BROWSER=1, so CI cannot skip this): the
 * page loads with no script error, every chart has data points, the GMV as-of picker redraws for
 * another date, and a screenshot is left in {@code target/report.png} for a person to look at.
 */
class RunReportBrowserTest extends SparkTestBase {
  private static final Path PAGE = Path.of("target", "report.html").toAbsolutePath();
  private static final Path SHOT = Path.of("target", "report.png").toAbsolutePath();
  private static JobsCli cli;

  private static void table(String location, String sql) {
    spark.sql(sql).write().format("delta").mode("overwrite").save(location);
  }

  private static RunRecord run(
      String pipeline,
      String start,
      String job,
      String status,
      long rows,
      long quarantined,
      long ms) {
    Instant at = Instant.parse(start);
    return RunRecord.builder()
        .runId(pipeline + "-" + job)
        .pipelineId(pipeline)
        .job(job)
        .layer(job.contains("bronze") ? "bronze" : job.contains("silver") ? "silver" : "gold")
        .domain(job.substring(0, job.indexOf('-')))
        .env("local")
        .start(at)
        .end(at.plusMillis(ms))
        .status(status)
        .rowsWritten(rows)
        .rowsQuarantined(quarantined)
        .build();
  }

  @BeforeAll
  static void buildASmallWarehouseAndItsReport() {
    String wh = path("wh");
    cli = new JobsCli(spark, path("raw"), wh);
    RunLog runLog = new RunLog(spark, wh + "/_ops/run_log");
    runLog.append(
        run("p1", "2024-07-01T10:00:00Z", "mentoring-bronze-users", "succeeded", 70866, 0, 29100));
    runLog.append(
        run(
            "p1",
            "2024-07-01T10:01:00Z",
            "mentoring-silver-users",
            "succeeded",
            70206,
            660,
            41300));
    runLog.append(run("p1", "2024-07-01T10:02:00Z", "commerce-gold-gmv", "skipped", 0, 0, 120));
    runLog.append(run("p0", "2024-06-30T10:00:00Z", "mentoring-bronze-users", "failed", 0, 0, 900));
    table(
        wh + "/_ops/quality_results",
        "SELECT 'r' AS run_id, 'j' AS job, 't' AS table_id, 'c' AS check, 'not_null' AS check_type,"
            + " severity, status, 0L AS offending, 1L AS checked, CAST(NULL AS DOUBLE) AS value,"
            + " '' AS detail, CAST(array() AS ARRAY<STRING>) AS sample, checked_at FROM VALUES"
            + " (TIMESTAMP'2024-06-30 10:00:00', 'passed', 'error'),"
            + " (TIMESTAMP'2024-06-30 10:00:00', 'failed', 'error'),"
            + " (TIMESTAMP'2024-07-01 10:00:00', 'passed', 'error'),"
            + " (TIMESTAMP'2024-07-01 10:00:00', 'failed', 'warn')"
            + " AS t(checked_at, status, severity)");
    table(
        wh + "/gold/mentoring/rebooking_rate_by_tier",
        "SELECT * FROM VALUES"
            + " ('all', 'Top tier', 3197L, 1909L, 0.597, 0.580, 0.614, 1.8e-244, 30, DATE'2024-07-01'),"
            + " ('all', 'Standard', 6609L, 1644L, 0.249, 0.238, 0.259, 1.8e-244, 30, DATE'2024-07-01'),"
            + " ('2024-01', 'Top tier', 10L, 5L, 0.5, 0.2, 0.8, 0.5, 30, DATE'2024-07-01')"
            + " AS t(cohort, tier_group, users, rebooked, rate, ci_low, ci_high, fisher_p_value,"
            + " window_days, data_until)");
    table(
        wh + "/gold/commerce/gmv_monthly_asof",
        "SELECT as_of_date, order_month, CAST(b AS DECIMAL(20,2)) AS gmv_booked,"
            + " CAST(c AS DECIMAL(20,2)) AS gmv_cancelled, CAST(b - c AS DECIMAL(20,2)) AS gmv_net"
            + " FROM VALUES"
            + " (DATE'1998-08-03', DATE'1998-07-01', 1000.00, 0.00),"
            + " (DATE'1998-08-03', DATE'1998-08-01', 500.00, 0.00),"
            + " (DATE'1998-08-10', DATE'1998-07-01', 1000.00, 250.00),"
            + " (DATE'1998-08-10', DATE'1998-08-01', 800.00, 0.00)"
            + " AS t(as_of_date, order_month, b, c)");
    table(
        wh + "/gold/agents/agg_agent_daily_performance",
        "SELECT * FROM VALUES"
            + " (DATE'2024-01-01', 'a1', 900.0, 0.5, 10L), (DATE'2024-01-01', 'a2', 1500.0, 1.0, 30L),"
            + " (DATE'2024-01-02', 'a1', 800.0, CAST(NULL AS DOUBLE), 0L)"
            + " AS t(date, agent_name, p95_latency_ms, sla_compliance, approvals)");
    assertThat(cli.run("report", "--html", PAGE.toString())).as(cli.err()).isEqualTo(0);
  }

  @Test
  void thePageHoldsTheLastRunTheQualityTrendAndTheThreeAnswers() throws IOException {
    String html = Files.readString(PAGE);

    assertThat(cli.out()).contains("report: " + PAGE);
    assertThat(html)
        .doesNotContain("<script src")
        .doesNotContain("<link")
        .contains("Pipeline p1: 3 jobs, 0 failed, 1 skipped, 70.5 s in jobs.")
        .contains(
            "<td>mentoring-silver-users</td><td class=\"succeeded\">succeeded</td><td>70,206</td><td>660</td><td>41.3</td>")
        .doesNotContain("class=\"failed\"") // the earlier pipeline's failure is not the last run
        .contains("on 2024-07-01: 1 passed, 0 failed, 1 warned.")
        .contains("p = 1.80e-244")
        .contains("59.7% [58.0%, 61.4%] of 3,197")
        .contains("<option selected>1998-08-10</option>")
        // SLA compliance per day weighted by approvals: (0.5*10 + 1.0*30) / 40.
        .contains("2024-01-01 sla_compliance 0.875")
        // The median of the agents' p95 that day: between 900 and 1500.
        .contains("2024-01-01 median_p95_ms 1200.000");
    // A share is drawn against 1, latencies against their largest value.
    assertThat(chart(html, "agents-sla")).contains(">max 1.00</text>");
    assertThat(chart(html, "agents-p95")).contains(">max 1,500.00</text>");
  }

  private static String chart(String html, String id) {
    int start = html.indexOf("id=\"" + id + "\"");
    assertThat(start).as("chart " + id).isNotNegative();
    return html.substring(start, html.indexOf("</svg>", start));
  }

  private static String chromium() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    Assumptions.assumeFalse(
        "1".equals(System.getenv("REQUIRE_BROWSER")), "REQUIRE_BROWSER=1 but no chromium");
    Assumptions.abort("no chromium here (apt-get install chromium); .ci/run installs it");
    return null;
  }

  /** Runs headless chromium; returns what it printed on stdout, asserting it exited cleanly. */
  private static String browse(String logFile, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(chromium());
    command.addAll(
        List.of(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--user-data-dir=" + Files.createTempDirectory("chromium-profile"),
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=5000"));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("chromium", ".out");
    Path err = Path.of("target", logFile).toAbsolutePath();
    Process browser =
        new ProcessBuilder(command)
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(browser.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    String log = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(browser.exitValue()).as(log).isZero();
    // Console messages of the page are logged as CONSOLE lines; an error would be one.
    assertThat(log).doesNotContain("Uncaught").doesNotContainPattern("CONSOLE\\(\\d+\\)\\].*rror");
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  @Test
  void inARealBrowserEveryChartHasPointsNoScriptFailsAndThePickerRedraws() throws Exception {
    String dom = browse("report-dom.log", "--dump-dom", PAGE.toUri().toString());

    assertThat(dom).contains("data-ready=\"1\"").doesNotContain("data-js-errors=\"1");
    Matcher chart =
        Pattern.compile("(?s)<svg[^>]*class=\"chart\"[^>]*id=\"([a-z0-9-]+)\"(.*?)</svg>")
            .matcher(dom);
    List<String> charted = new ArrayList<>();
    while (chart.find()) {
      assertThat(chart.group(2)).as("points of chart " + chart.group(1)).contains("class=\"pt\"");
      charted.add(chart.group(1));
    }
    assertThat(charted)
        .containsExactlyInAnyOrder(
            "run-seconds",
            "quality-trend",
            "rebooking-rate",
            "gmv-chart",
            "agents-p95",
            "agents-sla");
    // Drawn by the page's script for the latest date: the July cancellation is there.
    assertThat(dom).contains("1998-07 gmv_cancelled 250.00");

    String earlier =
        browse("report-asof.log", "--dump-dom", PAGE.toUri().toString() + "#asof=1998-08-03");
    assertThat(earlier)
        .contains("1998-07 gmv_cancelled 0.00")
        .contains("1998-08 gmv_booked 500.00");

    Files.deleteIfExists(SHOT);
    browse(
        "report-shot.log",
        "--screenshot=" + SHOT,
        "--window-size=1200,2400",
        "--hide-scrollbars",
        PAGE.toUri().toString());
    assertThat(Files.size(SHOT)).as("a screenshot in " + SHOT).isGreaterThan(10_000);
  }
}
