package com.acme.warehouse.jobs.mentoring;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.testing.DataFrameAssert;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import com.acme.warehouse.jobs.testing.PublishToBigQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mentoring domain end to end on hand-built extracts, every expected value worked out by hand
 * below. The story: user 1 books mentor MNT-1 four times (one session loses its end, one end is
 * delivered late and twice), MNT-1 moves from Silver to Gold between the third and fourth session;
 * user 3000000000 (above 2^31, sent as a string) sees MNT-2 (Gold) once; user 77 is in no export;
 * MNT-9 is in no sheet; user 5 vanishes from the second export and is back in the third.
 */
class MentoringPipelineTest extends SparkTestBase {
  private static JobsCli cli;
  private static Path raw;
  private static int events;

  @BeforeAll
  static void runPipeline() throws IOException {
    raw = tempDir.resolve("raw");
    write(
        raw,
        "mentoring/users/dt=2024-01-01/users_db_export.csv",
        "user_id,company_id,email,signup_date,status,updated_at",
        "1,10,a@x.com,2023-12-01,active,2023-12-01T00:00:00Z",
        "1,10,a@x.com,2023-12-01,active,2023-12-01T00:00:00Z",
        "3000000000,11,b@x.com,2023-12-02, Invited ,2023-12-02T00:00:00Z",
        "5,12,c@x.com,2023-12-03,active,2023-12-03T00:00:00Z",
        "oops,12,d@x.com,2023-12-03,active,2023-12-03T00:00:00Z");
    write(
        raw,
        "mentoring/users/dt=2024-02-01/users_db_export.csv",
        "user_id,company_id,email,signup_date,status,updated_at",
        "1,10,a@x.com,2023-12-01,churned,2024-01-20T00:00:00+01:00",
        "3000000000,11,b@x.com,2023-12-02,active,2024-01-10T00:00:00Z");
    write(
        raw,
        "mentoring/users/dt=2024-03-01/users_db_export.csv",
        "user_id,company_id,email,signup_date,status,updated_at",
        "1,10,a@x.com,2023-12-01,churned,2024-01-20T00:00:00+01:00",
        "3000000000,11,b@x.com,2023-12-02,active,2024-01-10T00:00:00Z",
        "5,12,c@x.com,2023-12-03,active,2024-02-20T00:00:00Z");
    write(
        raw,
        "mentoring/mentors/dt=2024-01-01/mentor_tiers.csv",
        "mentor_id,mentor_name,tier,hourly_rate,effective_from",
        " mnt-1 ,Ann, silver ,90.00,2023-06-01",
        "MNT-2,Bob,Gold,150.00,2023-06-01");
    write(
        raw,
        "mentoring/mentors/dt=2024-02-01/mentor_tiers.csv",
        "mentor_id,mentor_name,tier,hourly_rate,effective_from",
        "MNT-1,Ann,Gold,150.00,2024-01-15",
        "MNT-2,Bob,Gold,150.00,2023-06-01");
    List<String> week1 = new ArrayList<>();
    // Session A: booked, confirmed, attended with both ends.
    week1.add(
        event(
            "a1",
            "booking_requested",
            "1",
            "MNT-1",
            "2024-01-02T10:00:00Z",
            ",\"requested_duration_minutes\":60"));
    week1.add(
        event(
            "a2",
            "booking_confirmed",
            "1",
            " mnt-1",
            "2024-01-02T11:00:00Z",
            ",\"confirmed_start_time\":\"2024-01-05T10:00:00Z\""));
    week1.add(event("a3", "session_started", "1", "MNT-1", "2024-01-05T10:00:00Z", ""));
    week1.add(event("a4", "session_ended", "1", "MNT-1", "2024-01-05T11:00:00Z", ""));
    // User 3000000000, as a string, with MNT-2; an end that belongs to no session comes first.
    week1.add(event("b0", "session_ended", "\"3000000000\"", "MNT-2", "2024-01-03T08:00:00Z", ""));
    week1.add(
        event("b1", "session_started", "\"3000000000\"", "MNT-2", "2024-01-06T09:00:00Z", ""));
    week1.add(event("b2", "session_ended", "\"3000000000\"", "MNT-2", "2024-01-06T10:00:00Z", ""));
    // User 77 is in no export; MNT-9 is in no sheet.
    week1.add(event("c1", "session_started", "77", "MNT-2", "2024-01-07T09:00:00Z", ""));
    week1.add(event("c2", "session_ended", "77", "MNT-2", "2024-01-07T10:00:00Z", ""));
    week1.add("{\"event_id\":\"broken\",\"event_type\":");
    List<String> week2 = new ArrayList<>();
    week2.add(event("d1", "session_started", "1", "MNT-9", "2024-01-09T09:00:00Z", ""));
    week2.add(event("d2", "session_ended", "1", "MNT-9", "2024-01-09T09:30:00Z", ""));
    // Session B loses its end; session C right after is unaffected.
    week2.add(
        event(
            "e1",
            "booking_requested",
            "1",
            "MNT-1",
            "2024-01-08T09:00:00Z",
            ",\"requested_duration_minutes\":45"));
    week2.add(
        event(
            "e2",
            "booking_confirmed",
            "1",
            "MNT-1",
            "2024-01-08T09:30:00Z",
            ",\"confirmed_start_time\":\"2024-01-10T10:00:00Z\""));
    week2.add(event("e3", "session_started", "1", "MNT-1", "2024-01-10T10:00:00Z", ""));
    week2.add(event("f1", "booking_requested", "1", "MNT-1", "2024-01-11T09:00:00Z", ""));
    week2.add(
        event(
            "f2",
            "booking_cancelled",
            "1",
            "MNT-1",
            "2024-01-11T09:10:00Z",
            ",\"cancelled_by\":\"user\""));
    week2.add(event("g1", "session_started", "1", "MNT-1", "2024-01-12T10:00:00Z", ""));
    week2.add(event("g2", "session_ended", "1", "MNT-1", "2024-01-12T10:45:00Z", ""));
    List<String> week4 = new ArrayList<>();
    // Session D, after MNT-1 became Gold; its end arrives a week late, twice.
    week4.add(event("h1", "session_started", "1", "MNT-1", "2024-01-20T10:00:00Z", ""));
    List<String> week5 = new ArrayList<>();
    week5.add(event("h2", "session_ended", "1", "MNT-1", "2024-01-20T11:00:00Z", ""));
    week5.add(event("h2", "session_ended", "1", "MNT-1", "2024-01-20T11:00:00Z", ""));
    write(
        raw,
        "mentoring/booking_events/dt=2024-01-08/events-00000.json",
        week1.toArray(new String[0]));
    write(
        raw,
        "mentoring/booking_events/dt=2024-01-15/events-00000.json",
        week2.toArray(new String[0]));
    write(
        raw,
        "mentoring/booking_events/dt=2024-01-22/events-00000.json",
        week4.toArray(new String[0]));
    write(
        raw,
        "mentoring/booking_events/dt=2024-03-04/events-00000.json",
        week5.toArray(new String[0]));
    events = week1.size() + week2.size() + week4.size() + week5.size();

    cli = new JobsCli(spark, raw.toString(), tempDir.resolve("warehouse").toString());
    assertThat(cli.run("pipeline", "--domain", "mentoring")).as(cli.err()).isEqualTo(0);
  }

  private static String event(
      String id, String type, String user, String mentor, String at, String extra) {
    return "{\"event_id\":\""
        + id
        + "\",\"event_type\":\""
        + type
        + "\",\"user_id\":"
        + user
        + ",\"mentor_id\":\""
        + mentor
        + "\",\"timestamp\":\""
        + at
        + "\""
        + extra
        + "}";
  }

  private static void write(Path raw, String relative, String... lines) throws IOException {
    Path file = raw.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, String.join("\n", lines) + "\n");
  }

  private static Dataset<Row> table(String layer, String name) {
    return spark.read().format("delta").load(cli.location(layer, "mentoring", name));
  }

  @Test
  void threeExportsInOneRunGiveTheSameSilverAndGoldAsOneRunPerExport() throws IOException {
    assertThat(cli.lastSucceeded("mentoring-silver-users").<String>getAs("details"))
        .contains("\"deliveries_applied\":[\"2024-01-01\",\"2024-02-01\",\"2024-03-01\"]");
    Path oneByOne = tempDir.resolve("raw-one-by-one");
    JobsCli step =
        new JobsCli(spark, oneByOne.toString(), tempDir.resolve("wh-one-by-one").toString())
            .always("--set", "gold.incremental-max-fraction=1");
    for (String upTo : List.of("2024-01-01", "2024-02-01", "2024-12-31")) {
      JobsCli.copyDeliveries(raw, oneByOne, LocalDate.parse(upTo));
      assertThat(step.run("pipeline", "--domain", "mentoring")).as(step.err()).isEqualTo(0);
    }
    assertThat(
            step.runLog()
                .where(col("job").equalTo("mentoring-silver-users"))
                .select("details")
                .as(Encoders.STRING())
                .collectAsList())
        .hasSize(3)
        .allSatisfy(
            details ->
                assertThat(details).containsPattern("\"deliveries_applied\":\\[\"[0-9-]+\"\\]"));
    // The later runs' facts were incremental, and still equal the build from everything at once.
    assertThat(step.lastSucceeded("mentoring-gold-facts").<String>getAs("details"))
        .contains("\"fct_sessions_mode\":\"incremental\"", "\"fct_bookings_mode\":\"incremental\"");
    assertThat(cli.assertSameSilverAndGold(step)).isGreaterThan(10);
  }

  @Test
  void aRerunWithNothingNewSkipsEveryJobAndChangesNoTable() throws IOException {
    cli.assertRerunSkipsEveryJob("mentoring");
  }

  @Test
  void usersAreDeduplicatedTypedHistorisedTombstonedAndRevived() {
    assertSameRows(
        df(
            "user_id BIGINT, status STRING, valid_from TIMESTAMP, valid_to TIMESTAMP, is_current BOOLEAN, is_deleted BOOLEAN",
            "{\"user_id\":1,\"status\":\"active\",\"valid_from\":\"2023-12-01T00:00:00Z\",\"valid_to\":\"2024-01-19T23:00:00Z\",\"is_current\":false,\"is_deleted\":false}",
            "{\"user_id\":1,\"status\":\"churned\",\"valid_from\":\"2024-01-19T23:00:00Z\",\"is_current\":true,\"is_deleted\":false}",
            "{\"user_id\":3000000000,\"status\":\"invited\",\"valid_from\":\"2023-12-02T00:00:00Z\",\"valid_to\":\"2024-01-10T00:00:00Z\",\"is_current\":false,\"is_deleted\":false}",
            "{\"user_id\":3000000000,\"status\":\"active\",\"valid_from\":\"2024-01-10T00:00:00Z\",\"is_current\":true,\"is_deleted\":false}",
            "{\"user_id\":5,\"status\":\"active\",\"valid_from\":\"2023-12-03T00:00:00Z\",\"valid_to\":\"2024-02-01T00:00:00Z\",\"is_current\":false,\"is_deleted\":false}",
            "{\"user_id\":5,\"status\":\"active\",\"valid_from\":\"2024-02-01T00:00:00Z\",\"valid_to\":\"2024-02-20T00:00:00Z\",\"is_current\":false,\"is_deleted\":true}",
            "{\"user_id\":5,\"status\":\"active\",\"valid_from\":\"2024-02-20T00:00:00Z\",\"is_current\":true,\"is_deleted\":false}"),
        table("silver", "users")
            .select("user_id", "status", "valid_from", "valid_to", "is_current", "is_deleted"));
    Row quarantined = table("silver", "users_quarantine").head();
    assertThat(quarantined.<String>getAs("rule")).isEqualTo("user_id_not_bigint");
    assertThat(quarantined.<String>getAs("reason"))
        .isEqualTo("user_id 'oops' is not a whole number");
    assertThat(quarantined.<Long>getAs("_line_number")).isEqualTo(6L);
  }

  @Test
  void mentorsAreCleanedAndHistorisedFromTheirEffectiveDate() {
    assertSameRows(
        df(
            "mentor_id STRING, tier STRING, hourly_rate DECIMAL(10,2), valid_from TIMESTAMP, valid_to TIMESTAMP, is_current BOOLEAN",
            "{\"mentor_id\":\"MNT-1\",\"tier\":\"Silver\",\"hourly_rate\":90.00,\"valid_from\":\"2023-06-01T00:00:00Z\",\"valid_to\":\"2024-01-15T00:00:00Z\",\"is_current\":false}",
            "{\"mentor_id\":\"MNT-1\",\"tier\":\"Gold\",\"hourly_rate\":150.00,\"valid_from\":\"2024-01-15T00:00:00Z\",\"is_current\":true}",
            "{\"mentor_id\":\"MNT-2\",\"tier\":\"Gold\",\"hourly_rate\":150.00,\"valid_from\":\"2023-06-01T00:00:00Z\",\"is_current\":true}"),
        table("silver", "mentors")
            .select("mentor_id", "tier", "hourly_rate", "valid_from", "valid_to", "is_current"));
  }

  @Test
  void eventsAreTypedDeduplicatedAndTheMalformedLineQuarantined() {
    Dataset<Row> silver = table("silver", "booking_events");
    assertThat(silver.count()).isEqualTo(events - 2); // the duplicate, the broken line
    assertThat(silver.where(col("event_id").equalTo("h2")).count()).isEqualTo(1);
    assertThat(silver.where(col("event_id").equalTo("b1")).head().<Long>getAs("user_id"))
        .isEqualTo(3_000_000_000L);
    assertThat(silver.where(col("event_id").equalTo("a2")).head().<String>getAs("mentor_id"))
        .isEqualTo("MNT-1");
    Row broken = table("silver", "booking_events_quarantine").head();
    assertThat(broken.<String>getAs("rule")).isEqualTo("malformed_record");
    assertThat(broken.<String>getAs("reason")).startsWith("invalid JSON");
    Row run = cli.lastSucceeded("mentoring-silver-booking-events");
    assertThat(run.<Long>getAs("rows_read")).isEqualTo((long) events);
    assertThat(run.<String>getAs("details")).contains("\"rows_deduplicated\":1");
  }

  @Test
  void aMissingEndAffectsOneSessionAndALateEndCompletesItsSession() {
    assertSameRows(
        df(
            "start_event_id STRING, started_at TIMESTAMP, ended_at TIMESTAMP, duration_minutes DOUBLE, is_duration_estimated BOOLEAN",
            "{\"start_event_id\":\"a3\",\"started_at\":\"2024-01-05T10:00:00Z\",\"ended_at\":\"2024-01-05T11:00:00Z\",\"duration_minutes\":60.0,\"is_duration_estimated\":false}",
            "{\"start_event_id\":\"e3\",\"started_at\":\"2024-01-10T10:00:00Z\",\"ended_at\":\"2024-01-10T11:00:00Z\",\"duration_minutes\":60.0,\"is_duration_estimated\":true}",
            "{\"start_event_id\":\"g1\",\"started_at\":\"2024-01-12T10:00:00Z\",\"ended_at\":\"2024-01-12T10:45:00Z\",\"duration_minutes\":45.0,\"is_duration_estimated\":false}",
            "{\"start_event_id\":\"h1\",\"started_at\":\"2024-01-20T10:00:00Z\",\"ended_at\":\"2024-01-20T11:00:00Z\",\"duration_minutes\":60.0,\"is_duration_estimated\":false}"),
        table("silver", "sessions")
            .where("user_id = 1 AND mentor_id = 'MNT-1'")
            .select(
                "start_event_id",
                "started_at",
                "ended_at",
                "duration_minutes",
                "is_duration_estimated"));
    Row orphanEnd = table("silver", "sessions_quarantine").head();
    assertThat(orphanEnd.<String>getAs("event_id")).isEqualTo("b0");
    assertThat(orphanEnd.<String>getAs("rule")).isEqualTo("session_ended_without_start");
  }

  @Test
  void bookingsFollowRequestToConfirmationToCancellationOrAttendance() {
    assertSameRows(
        df(
            "requested_at TIMESTAMP, status STRING, minutes_to_confirm DOUBLE, hours_booked_ahead DOUBLE, cancelled_by STRING",
            "{\"requested_at\":\"2024-01-02T10:00:00Z\",\"status\":\"attended\",\"minutes_to_confirm\":60.0,\"hours_booked_ahead\":72.0}",
            "{\"requested_at\":\"2024-01-08T09:00:00Z\",\"status\":\"attended\",\"minutes_to_confirm\":30.0,\"hours_booked_ahead\":49.0}",
            "{\"requested_at\":\"2024-01-11T09:00:00Z\",\"status\":\"cancelled\",\"cancelled_by\":\"user\"}"),
        table("gold", "fct_bookings")
            .select(
                "requested_at",
                "status",
                "minutes_to_confirm",
                "hours_booked_ahead",
                "cancelled_by"));
  }

  @Test
  void factsPointAtTheVersionsValidAtSessionStartOrAtTheUnknownMember() {
    Dataset<Row> facts =
        table("gold", "fct_sessions")
            .join(table("gold", "dim_mentors").select("mentor_key", "tier"), "mentor_key")
            .join(table("gold", "dim_users").select("user_key", "status"), "user_key");
    assertSameRows(
        df(
            "user_id BIGINT, mentor_id STRING, started_at TIMESTAMP, tier STRING, status STRING",
            "{\"user_id\":1,\"mentor_id\":\"MNT-1\",\"started_at\":\"2024-01-05T10:00:00Z\",\"tier\":\"Silver\",\"status\":\"active\"}",
            "{\"user_id\":1,\"mentor_id\":\"MNT-9\",\"started_at\":\"2024-01-09T09:00:00Z\",\"tier\":\"Unknown\",\"status\":\"active\"}",
            "{\"user_id\":1,\"mentor_id\":\"MNT-1\",\"started_at\":\"2024-01-10T10:00:00Z\",\"tier\":\"Silver\",\"status\":\"active\"}",
            "{\"user_id\":1,\"mentor_id\":\"MNT-1\",\"started_at\":\"2024-01-12T10:00:00Z\",\"tier\":\"Silver\",\"status\":\"active\"}",
            "{\"user_id\":1,\"mentor_id\":\"MNT-1\",\"started_at\":\"2024-01-20T10:00:00Z\",\"tier\":\"Gold\",\"status\":\"churned\"}",
            "{\"user_id\":3000000000,\"mentor_id\":\"MNT-2\",\"started_at\":\"2024-01-06T09:00:00Z\",\"tier\":\"Gold\",\"status\":\"invited\"}",
            "{\"user_id\":77,\"mentor_id\":\"MNT-2\",\"started_at\":\"2024-01-07T09:00:00Z\",\"tier\":\"Gold\",\"status\":\"Unknown\"}"),
        facts.select("user_id", "mentor_id", "started_at", "tier", "status"));
    assertThat(
            table("gold", "fct_sessions")
                .where(col("user_key").equalTo(Dimensions.UNKNOWN_KEY))
                .count())
        .isEqualTo(1);
  }

  @Test
  void theReportAttributesEachUserToTheTierOfTheirFirstSession() {
    // User 1's first session was with MNT-1 while Silver, and a second followed within 30 days;
    // users 3000000000 and 77 started with MNT-2 (Gold) and never came back.
    DataFrameAssert.assertSameRows(
        df(
            "cohort STRING, tier_group STRING, users BIGINT, rebooked BIGINT, rate DOUBLE, fisher_p_value DOUBLE",
            "{\"cohort\":\"all\",\"tier_group\":\"Top tier\",\"users\":2,\"rebooked\":0,\"rate\":0.0,\"fisher_p_value\":0.3333333333333333}",
            "{\"cohort\":\"all\",\"tier_group\":\"Standard\",\"users\":1,\"rebooked\":1,\"rate\":1.0,\"fisher_p_value\":0.3333333333333333}",
            "{\"cohort\":\"2024-01\",\"tier_group\":\"Top tier\",\"users\":2,\"rebooked\":0,\"rate\":0.0,\"fisher_p_value\":0.3333333333333333}",
            "{\"cohort\":\"2024-01\",\"tier_group\":\"Standard\",\"users\":1,\"rebooked\":1,\"rate\":1.0,\"fisher_p_value\":0.3333333333333333}"),
        table("gold", "rebooking_rate_by_tier")
            .select("cohort", "tier_group", "users", "rebooked", "rate", "fisher_p_value"),
        1e-12);
    assertThat(cli.out())
        .contains("Do Top Tier mentors deliver better retention?")
        .containsPattern("Top tier\\s+2\\s+0\\s+0.0%")
        .contains("Fisher exact test, two-sided p = 0.3333")
        .contains("The smallest group has 1 users");
  }

  @Test
  void rerunningChangesNoGoldTableAndAFullRefreshRebuildsThemIdentically() {
    List<String> gold =
        List.of(
            "dim_users",
            "dim_mentors",
            "fct_sessions",
            "fct_bookings",
            "rebooking_rate_by_tier",
            "booking_intent_rate",
            "booking_reliability_by_tier");
    List<List<Row>> before = new ArrayList<>();
    for (String name : gold) {
      before.add(table("gold", name).collectAsList());
    }

    assertThat(cli.run("pipeline", "--domain", "mentoring")).isEqualTo(0);
    for (int i = 0; i < gold.size(); i++) {
      assertSameRows(
          spark.createDataFrame(before.get(i), table("gold", gold.get(i)).schema()),
          table("gold", gold.get(i)));
    }
    assertThat(cli.run("pipeline", "--domain", "mentoring", "--layer", "silver", "--full-refresh"))
        .isEqualTo(0);
    assertThat(cli.run("pipeline", "--domain", "mentoring", "--layer", "gold")).isEqualTo(0);
    for (int i = 0; i < gold.size(); i++) {
      assertSameRows(
          spark.createDataFrame(before.get(i), table("gold", gold.get(i)).schema()),
          table("gold", gold.get(i)));
    }
    // Every gold table reaches BigQuery (the real connector, the stand-in) with exactly its rows.
    assertThat(PublishToBigQuery.publishAndCompare(spark, cli, "mentoring", path("bq-staging")))
        .hasSize(8);
  }
}
