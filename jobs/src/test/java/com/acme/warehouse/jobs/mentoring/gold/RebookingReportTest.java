package com.acme.warehouse.jobs.mentoring.gold;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.acme.warehouse.common.testing.SparkTestBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The rebooking window on a handful of in-memory sessions: its edges, to the microsecond. */
class RebookingReportTest extends SparkTestBase {
  private static final String SESSIONS =
      "user_id STRING, session_key STRING, started_at TIMESTAMP, tier STRING";
  private static final Timestamp DATA_ENDS = Timestamp.from(Instant.parse("2024-03-01T00:00:00Z"));

  private static RebookingReport report() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    groups.put("top", List.of("Top"));
    groups.put("other", List.of("Standard", "Rising"));
    return new RebookingReport(30, groups, 0.95);
  }

  private static Dataset<Row> sessions() {
    return df(
        SESSIONS,
        // Second session exactly 30 days after the first: rebooked (the window is inclusive).
        "{'user_id':'u1','session_key':'a','started_at':'2024-01-01T10:00:00Z','tier':'Top'}",
        "{'user_id':'u1','session_key':'b','started_at':'2024-01-31T10:00:00Z','tier':'Standard'}",
        // One microsecond later: not rebooked.
        "{'user_id':'u2','session_key':'c','started_at':'2024-01-01T10:00:00Z','tier':'Top'}",
        "{'user_id':'u2','session_key':'d','started_at':'2024-01-31T10:00:00.000001Z','tier':'Top'}",
        // A single session whose window closed: counted, not rebooked.
        "{'user_id':'u3','session_key':'e','started_at':'2024-01-05T00:00:00Z','tier':'Rising'}",
        // Window closes exactly when the data ends: observable.
        "{'user_id':'u4','session_key':'f','started_at':'2024-01-31T00:00:00Z','tier':'Standard'}",
        // Window closes a microsecond after the data ends: left out, although it rebooked.
        "{'user_id':'u5','session_key':'g','started_at':'2024-01-31T00:00:00.000001Z','tier':'Top'}",
        "{'user_id':'u5','session_key':'h','started_at':'2024-02-01T00:00:00Z','tier':'Top'}",
        // First mentor in no tier group: left out.
        "{'user_id':'u6','session_key':'i','started_at':'2024-01-02T00:00:00Z','tier':'Guest'}");
  }

  @Test
  void theWindowIsInclusiveToTheMicrosecondAndOnlyClosedWindowsCount() {
    Map<String, Row> firsts =
        report().firstSessions(sessions(), DATA_ENDS).collectAsList().stream()
            .collect(Collectors.toMap(r -> r.getAs("user_id"), r -> r));

    assertEquals(true, firsts.get("u1").getAs("rebooked"));
    assertEquals(false, firsts.get("u2").getAs("rebooked"));
    assertEquals(false, firsts.get("u3").getAs("rebooked"));
    assertEquals(true, firsts.get("u4").getAs("observable"));
    assertEquals(false, firsts.get("u5").getAs("observable"));
    assertEquals(true, firsts.get("u5").getAs("rebooked"));
    // The tier is the first session's, not the second's (u1 rebooked with a Standard mentor).
    assertEquals("top", firsts.get("u1").getAs("tier_group"));
    assertEquals("other", firsts.get("u3").getAs("tier_group"));
    assertNull(firsts.get("u6").getAs("tier_group"));
    assertEquals("2024-01", firsts.get("u4").getAs("cohort"));
  }

  @Test
  void ratesCarryWilsonIntervalsAndTheFisherPValueBetweenTheFirstTwoGroups() {
    RebookingReport report = report();
    List<Row> rows =
        report.rates(report.firstSessions(sessions(), DATA_ENDS), LocalDate.of(2024, 3, 1));
    Map<String, Row> byKey =
        rows.stream().collect(Collectors.toMap(r -> r.getString(0) + "/" + r.getString(1), r -> r));
    assertEquals(4, rows.size(), "cohort 2024-01 and all, for both groups: " + rows);

    Row top = byKey.get("all/top");
    assertEquals(2L, top.getLong(2), "users u1 and u2 (u5's window is open)");
    assertEquals(1L, top.getLong(3));
    assertEquals(0.5, top.getDouble(4), 1e-12);
    // Wilson 95% for 1 of 2: 0.5 ± 0.4055.
    assertEquals(0.0945, top.getDouble(5), 1e-4);
    assertEquals(0.9055, top.getDouble(6), 1e-4);
    // Fisher exact, two-sided, on [[1, 1], [0, 2]]: both tables as likely, p = 1.
    assertEquals(1.0, top.getDouble(7), 1e-12);
    assertEquals("other", top.getString(8));
    assertEquals(30, top.getInt(9));

    Row other = byKey.get("all/other");
    assertEquals(2L, other.getLong(2), "users u3 and u4 (u6's mentor is in no group)");
    assertEquals(0L, other.getLong(3));
    assertEquals(0.0, other.getDouble(4), 1e-12);
    assertEquals(byKey.get("2024-01/other").getLong(2), 2L);
  }
}
