package com.acme.warehouse.jobs.report;

import static com.acme.warehouse.common.html.HtmlFile.escape;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The run report as one self-contained HTML page: inline CSS, inline SVG charts and a few lines of
 * inline script (the GMV as-of picker) — no server, no CDN, opens from a file. A pure function of
 * the small, already aggregated rows {@link RunReportJob} reads. Every chart is an {@code <svg
 * class="chart">} whose data points carry {@code class="pt"}, so a browser test can count them.
 */
final class RunReportPage {
  /** One job of the last pipeline run. */
  static final class JobRun {
    final String job;
    final String status;
    final long rowsWritten;
    final long rowsQuarantined;
    final double seconds;

    JobRun(String job, String status, long rowsWritten, long rowsQuarantined, double seconds) {
      this.job = job;
      this.status = status;
      this.rowsWritten = rowsWritten;
      this.rowsQuarantined = rowsQuarantined;
      this.seconds = seconds;
    }
  }

  /** A labelled point with named values (a day, a month, a tier group). */
  static final class Point {
    final String label;
    final Map<String, Double> values;

    Point(String label, Map<String, Double> values) {
      this.label = label;
      this.values = values;
    }

    double get(String name) {
      Double value = values.get(name);
      return value == null ? Double.NaN : value;
    }
  }

  String title = "Warehouse run report";
  String generatedAt = "";
  String pipelineId = "";
  List<JobRun> jobs = List.of();
  List<Point> qualityByDay = List.of();
  List<Point> rebooking = List.of();
  double fisherP = Double.NaN;
  String rebookingNote = "";

  /** as_of_date -> months (label = order month; values gmv_booked, gmv_cancelled, gmv_net). */
  Map<String, List<Point>> gmvAsOf = Map.of();

  List<Point> agentsByDay = List.of();

  private static final String[] PALETTE = {"#3366cc", "#dc3912", "#109618", "#ff9900"};

  String render() {
    StringBuilder page = new StringBuilder();
    page.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>")
        .append(escape(title))
        .append("</title><script>window.__errors=[];window.addEventListener('error',")
        .append("function(e){window.__errors.push(String(e.message));")
        .append(
            "document.documentElement.setAttribute('data-js-errors',window.__errors.length);});")
        .append("</script><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}")
        .append("h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}")
        .append(
            "table{border-collapse:collapse;font-size:13px}td,th{padding:2px 8px;text-align:right}")
        .append(
            "td:first-child,th:first-child{text-align:left}tr:nth-child(even){background:#f6f6f6}")
        .append(".failed{color:#b00;font-weight:bold}.skipped{color:#888}")
        .append("svg.chart{background:#fcfcfc;border:1px solid #ddd;margin:.5em 0}")
        .append(".note{color:#555;font-size:13px}.empty{color:#888;font-style:italic}")
        .append("</style></head><body>");
    page.append("<h1>").append(escape(title)).append("</h1>");
    page.append("<p class=\"note\">Generated ").append(escape(generatedAt)).append("</p>");
    lastRun(page);
    quality(page);
    rebooking(page);
    gmv(page);
    agents(page);
    page.append("<script>document.documentElement.setAttribute('data-js-errors',")
        .append("window.__errors.length);document.documentElement.setAttribute('data-ready','1');")
        .append("</script></body></html>\n");
    return page.toString();
  }

  private void lastRun(StringBuilder page) {
    page.append("<h2 id=\"run\">Last pipeline run</h2>");
    if (jobs.isEmpty()) {
      page.append("<p class=\"empty\">No pipeline run in the run log yet.</p>");
      return;
    }
    long failed = jobs.stream().filter(j -> j.status.equals("failed")).count();
    long skipped = jobs.stream().filter(j -> j.status.equals("skipped")).count();
    double seconds = jobs.stream().mapToDouble(j -> j.seconds).sum();
    page.append(
        String.format(
            Locale.ROOT,
            "<p>Pipeline %s: %d jobs, %d failed, %d skipped, %.1f s in jobs.</p>",
            escape(pipelineId),
            jobs.size(),
            failed,
            skipped,
            seconds));
    List<Point> bars = new ArrayList<>();
    for (JobRun job : jobs) {
      bars.add(new Point(job.job, Map.of("seconds", job.seconds)));
    }
    page.append(horizontalBars("run-seconds", bars, "seconds", "Seconds per job"));
    page.append("<table><tr><th>job</th><th>status</th><th>rows written</th>")
        .append("<th>quarantined</th><th>seconds</th></tr>");
    for (JobRun job : jobs) {
      page.append(
          String.format(
              Locale.ROOT,
              "<tr><td>%s</td><td class=\"%s\">%s</td><td>%,d</td><td>%,d</td><td>%.1f</td></tr>",
              escape(job.job),
              escape(job.status),
              escape(job.status),
              job.rowsWritten,
              job.rowsQuarantined,
              job.seconds));
    }
    page.append("</table>");
  }

  private void quality(StringBuilder page) {
    page.append("<h2 id=\"quality\">Data quality</h2>");
    if (qualityByDay.isEmpty()) {
      page.append("<p class=\"empty\">No quality results yet.</p>");
      return;
    }
    Point last = qualityByDay.get(qualityByDay.size() - 1);
    page.append(
        String.format(
            Locale.ROOT,
            "<p>Checks run per day, by outcome; on %s: %.0f passed, %.0f failed, %.0f warned.</p>",
            escape(last.label),
            last.get("passed"),
            last.get("failed"),
            last.get("warned")));
    page.append(
        bars("quality-trend", qualityByDay, List.of("passed", "failed", "warned"), "checks"));
  }

  private void rebooking(StringBuilder page) {
    page.append(
        "<h2 id=\"mentoring\">Mentoring: do Top Tier mentors deliver better retention?</h2>");
    if (rebooking.isEmpty()) {
      page.append("<p class=\"empty\">gold.mentoring.rebooking_rate_by_tier is not built.</p>");
      return;
    }
    page.append("<p>Share of users who rebooked within the window, by the tier of their first")
        .append(
            " session's mentor, with 95% Wilson intervals. Fisher's exact test, two-sided: p = ")
        .append(String.format(Locale.ROOT, "%.3g", fisherP))
        .append(".</p>");
    page.append(intervals("rebooking-rate", rebooking));
    if (!rebookingNote.isEmpty()) {
      page.append("<p class=\"note\">").append(escape(rebookingNote)).append("</p>");
    }
  }

  private void gmv(StringBuilder page) {
    page.append("<h2 id=\"commerce\">Commerce: GMV by order month, as of a date</h2>");
    if (gmvAsOf.isEmpty()) {
      page.append("<p class=\"empty\">gold.commerce.gmv_monthly_asof is not built.</p>");
      return;
    }
    List<String> dates = new ArrayList<>(gmvAsOf.keySet());
    String latest = dates.get(dates.size() - 1);
    page.append("<p>Booked, cancelled and net GMV of each order month as the warehouse knew it on")
        .append(" the chosen date (a delete moves money from booked-and-live to cancelled).</p>")
        .append("<label>as of <select id=\"gmv-asof\">");
    for (String date : dates) {
      page.append("<option")
          .append(date.equals(latest) ? " selected" : "")
          .append(">")
          .append(escape(date))
          .append("</option>");
    }
    page.append("</select></label><div id=\"gmv-holder\">");
    page.append(bars("gmv-chart", gmvAsOf.get(latest), GMV_SERIES, "GMV"));
    page.append("</div><script type=\"application/json\" id=\"gmv-data\">");
    page.append(gmvJson());
    page.append("</script><script>").append(GMV_SCRIPT).append("</script>");
  }

  private static final List<String> GMV_SERIES = List.of("gmv_booked", "gmv_cancelled", "gmv_net");

  /** Redraws the GMV chart for the picked date with the same drawing rules as the server side. */
  private static final String GMV_SCRIPT =
      "(function(){var data=JSON.parse(document.getElementById('gmv-data').textContent);"
          + "var pick=document.getElementById('gmv-asof');"
          + "function draw(){var rows=data[pick.value]||[];"
          + "var series=['gmv_booked','gmv_cancelled','gmv_net'];var colours=['#3366cc','#dc3912','#109618'];"
          + "var w=Math.max(480,rows.length*series.length*9+80),h=260,top=0;"
          + "rows.forEach(function(r){series.forEach(function(s){top=Math.max(top,r[s]);});});"
          + "var ns='http://www.w3.org/2000/svg',svg=document.createElementNS(ns,'svg');"
          + "svg.setAttribute('class','chart');svg.setAttribute('id','gmv-chart');"
          + "svg.setAttribute('width',w);svg.setAttribute('height',h);"
          + "var bw=(w-60)/Math.max(1,rows.length);"
          + "rows.forEach(function(r,i){series.forEach(function(s,k){"
          + "var v=top>0?r[s]/top*(h-60):0,rect=document.createElementNS(ns,'rect');"
          + "rect.setAttribute('class','pt');rect.setAttribute('x',50+i*bw+k*bw/series.length);"
          + "rect.setAttribute('y',h-30-v);rect.setAttribute('width',Math.max(1,bw/series.length-1));"
          + "rect.setAttribute('height',v);rect.setAttribute('fill',colours[k]);"
          + "var t=document.createElementNS(ns,'title');t.textContent=r.label+' '+s+' '+r[s].toFixed(2);"
          + "rect.appendChild(t);svg.appendChild(rect);});"
          + "if(rows.length<=24||i%Math.max(1,Math.floor(rows.length/12))===0){"
          + "var l=document.createElementNS(ns,'text');l.setAttribute('x',50+i*bw);"
          + "l.setAttribute('y',h-14);l.setAttribute('font-size','10');l.textContent=r.label;"
          + "svg.appendChild(l);}});"
          + "series.forEach(function(s,k){var b=document.createElementNS(ns,'rect');"
          + "b.setAttribute('x',60+k*140);b.setAttribute('y',4);b.setAttribute('width',10);"
          + "b.setAttribute('height',10);b.setAttribute('fill',colours[k]);svg.appendChild(b);"
          + "var n=document.createElementNS(ns,'text');n.setAttribute('x',74+k*140);"
          + "n.setAttribute('y',13);n.setAttribute('font-size','11');n.textContent=s;"
          + "svg.appendChild(n);});"
          + "var holder=document.getElementById('gmv-holder');holder.innerHTML='';holder.appendChild(svg);}"
          // #asof=YYYY-MM-DD in the address picks a date: a link can point at one.
          + "var h=location.hash.indexOf('#asof=')===0?location.hash.slice(6):'';"
          + "if(data[h]){pick.value=h;}"
          + "pick.addEventListener('change',draw);draw();})();";

  private String gmvJson() {
    StringBuilder json = new StringBuilder("{");
    boolean firstDate = true;
    for (Map.Entry<String, List<Point>> date : gmvAsOf.entrySet()) {
      json.append(firstDate ? "" : ",").append('"').append(date.getKey()).append("\":[");
      firstDate = false;
      boolean firstRow = true;
      for (Point month : date.getValue()) {
        json.append(firstRow ? "" : ",").append("{\"label\":\"").append(month.label).append('"');
        firstRow = false;
        for (String series : GMV_SERIES) {
          json.append(",\"").append(series).append("\":").append(number(month.get(series)));
        }
        json.append('}');
      }
      json.append(']');
    }
    // "</" cannot end the script element early: JSON allows "<\/".
    return json.append('}').toString().replace("</", "<\\/");
  }

  private void agents(StringBuilder page) {
    page.append("<h2 id=\"agents\">Agents: daily p95 latency and SLA compliance</h2>");
    if (agentsByDay.isEmpty()) {
      page.append("<p class=\"empty\">gold.agents.agg_agent_daily_performance is not built.</p>");
      return;
    }
    page.append(
        "<p>Per day: the median and the highest of the agents' p95 query latency (ms).</p>");
    page.append(lines("agents-p95", agentsByDay, List.of("median_p95_ms", "max_p95_ms"), 0));
    page.append("<p>Per day: the share of judged approvals resolved within the SLA target valid")
        .append(" at their creation (approvals-weighted over agents).</p>");
    page.append(lines("agents-sla", agentsByDay, List.of("sla_compliance"), 1));
  }

  private static String number(double value) {
    return Double.isNaN(value) ? "0" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String legend(List<String> series, int y) {
    StringBuilder text = new StringBuilder();
    for (int k = 0; k < series.size(); k++) {
      text.append(
          String.format(
              Locale.ROOT,
              "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                  + "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>",
              60 + k * 140,
              y,
              PALETTE[k],
              74 + k * 140,
              y + 9,
              escape(series.get(k))));
    }
    return text.toString();
  }

  /** Grouped vertical bars: one group per point, one bar per series. */
  private static String bars(String id, List<Point> points, List<String> series, String unit) {
    int height = 260;
    int width = Math.max(480, points.size() * series.size() * 9 + 80);
    double top = 0;
    for (Point p : points) {
      for (String s : series) {
        top = Math.max(top, nz(p.get(s)));
      }
    }
    double band = (width - 60.0) / Math.max(1, points.size());
    StringBuilder svg = open(id, width, height);
    svg.append(legend(series, 4));
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      for (int k = 0; k < series.size(); k++) {
        double v = top > 0 ? nz(p.get(series.get(k))) / top * (height - 60) : 0;
        svg.append(
            String.format(
                Locale.ROOT,
                "<rect class=\"pt\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    + "<title>%s %s %.2f</title></rect>",
                50 + i * band + k * band / series.size(),
                height - 30 - v,
                Math.max(1, band / series.size() - 1),
                v,
                PALETTE[k],
                escape(p.label),
                escape(series.get(k)),
                nz(p.get(series.get(k)))));
      }
      if (points.size() <= 24 || i % Math.max(1, points.size() / 12) == 0) {
        svg.append(axisLabel(50 + i * band, height - 14, p.label));
      }
    }
    svg.append(yLabel(top, unit));
    return svg.append("</svg>").toString();
  }

  /**
   * Lines over the points, one per series, with a dot per value. The scale's top is the largest
   * value, or {@code atLeast} when that is larger (1 for a share, so 0.88 does not fill the chart).
   */
  private static String lines(String id, List<Point> points, List<String> series, double atLeast) {
    int height = 240;
    int width = 900;
    double top = atLeast;
    for (Point p : points) {
      for (String s : series) {
        top = Math.max(top, nz(p.get(s)));
      }
    }
    // The last date's label starts at the last point: leave it room inside the chart.
    double step = points.size() < 2 ? 0 : (width - 140.0) / (points.size() - 1);
    StringBuilder svg = open(id, width, height);
    svg.append(legend(series, 4));
    for (int k = 0; k < series.size(); k++) {
      StringBuilder path = new StringBuilder();
      StringBuilder dots = new StringBuilder();
      for (int i = 0; i < points.size(); i++) {
        double value = points.get(i).get(series.get(k));
        if (Double.isNaN(value)) {
          continue;
        }
        double x = 50 + i * step;
        double y = height - 30 - (top > 0 ? value / top * (height - 60) : 0);
        path.append(path.length() == 0 ? "M" : "L")
            .append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
        dots.append(
            String.format(
                Locale.ROOT,
                "<circle class=\"pt\" cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"><title>%s %s %.3f</title></circle>",
                x,
                y,
                PALETTE[k],
                escape(points.get(i).label),
                escape(series.get(k)),
                value));
      }
      svg.append("<path fill=\"none\" stroke-width=\"1.5\" stroke=\"")
          .append(PALETTE[k])
          .append("\" d=\"")
          .append(path)
          .append("\"/>")
          .append(dots);
    }
    for (int i = 0; i < points.size(); i += Math.max(1, points.size() / 8)) {
      svg.append(axisLabel(50 + i * step, height - 14, points.get(i).label));
    }
    svg.append(yLabel(top, ""));
    return svg.append("</svg>").toString();
  }

  /** A rate per group with its interval: a bar to the rate and a whisker over [low, high]. */
  private static String intervals(String id, List<Point> groups) {
    int width = 600;
    int height = 60 + groups.size() * 44;
    StringBuilder svg = open(id, width, height);
    double scale = width - 220.0;
    for (int i = 0; i < groups.size(); i++) {
      Point g = groups.get(i);
      double y = 30 + i * 44;
      double rate = nz(g.get("rate"));
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"8\" y=\"%.1f\" font-size=\"12\">%s</text>"
                  + "<rect class=\"pt\" x=\"110\" y=\"%.1f\" width=\"%.1f\" height=\"20\" fill=\"%s\">"
                  + "<title>%s %.1f%% [%.1f%%, %.1f%%]</title></rect>"
                  + "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#000\"/>"
                  + "<text x=\"%.1f\" y=\"%.1f\" font-size=\"12\">%.1f%% [%.1f%%, %.1f%%] of %,.0f</text>",
              y + 14,
              escape(g.label),
              y,
              rate * scale,
              PALETTE[i % PALETTE.length],
              escape(g.label),
              rate * 100,
              nz(g.get("ci_low")) * 100,
              nz(g.get("ci_high")) * 100,
              110 + nz(g.get("ci_low")) * scale,
              110 + nz(g.get("ci_high")) * scale,
              y + 10,
              y + 10,
              116 + nz(g.get("ci_high")) * scale,
              y + 14,
              rate * 100,
              nz(g.get("ci_low")) * 100,
              nz(g.get("ci_high")) * 100,
              nz(g.get("users"))));
    }
    return svg.append("</svg>").toString();
  }

  /** Horizontal bars, one per point: fits long labels such as job names. */
  private static String horizontalBars(
      String id, List<Point> points, String field, String caption) {
    int width = 900;
    int height = 30 + points.size() * 16;
    double top = points.stream().mapToDouble(p -> nz(p.get(field))).max().orElse(0);
    StringBuilder svg = open(id, width, height);
    svg.append("<text x=\"8\" y=\"14\" font-size=\"12\">")
        .append(escape(caption))
        .append("</text>");
    for (int i = 0; i < points.size(); i++) {
      Point p = points.get(i);
      double w = top > 0 ? nz(p.get(field)) / top * (width - 360) : 0;
      svg.append(
          String.format(
              Locale.ROOT,
              "<text x=\"8\" y=\"%d\" font-size=\"11\">%s</text><rect class=\"pt\" x=\"300\" y=\"%d\""
                  + " width=\"%.1f\" height=\"12\" fill=\"%s\"><title>%s %.1f</title></rect>"
                  + "<text x=\"%.1f\" y=\"%d\" font-size=\"11\">%.1f</text>",
              32 + i * 16,
              escape(p.label),
              22 + i * 16,
              Math.max(1, w),
              PALETTE[0],
              escape(p.label),
              nz(p.get(field)),
              304 + w,
              32 + i * 16,
              nz(p.get(field))));
    }
    return svg.append("</svg>").toString();
  }

  private static StringBuilder open(String id, int width, int height) {
    return new StringBuilder(
        String.format(
            Locale.ROOT,
            "<svg class=\"chart\" id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">",
            id,
            width,
            height));
  }

  private static String axisLabel(double x, int y, String label) {
    return String.format(
        Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">%s</text>", x, y, escape(label));
  }

  private static String yLabel(double top, String unit) {
    return String.format(
        Locale.ROOT,
        "<text x=\"4\" y=\"30\" font-size=\"10\">%s</text>",
        escape(String.format(Locale.ROOT, "max %,.2f %s", top, unit).trim()));
  }

  private static double nz(double value) {
    return Double.isNaN(value) ? 0 : value;
  }
}
