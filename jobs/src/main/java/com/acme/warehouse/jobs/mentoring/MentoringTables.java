package com.acme.warehouse.jobs.mentoring;

import com.acme.warehouse.common.job.TableId;

/** Every table of the mentoring domain, by layer. */
public final class MentoringTables {
  public static final String DOMAIN = "mentoring";

  public static final TableId BRONZE_USERS = TableId.of("bronze", DOMAIN, "users");
  public static final TableId BRONZE_MENTORS = TableId.of("bronze", DOMAIN, "mentors");
  public static final TableId BRONZE_EVENTS = TableId.of("bronze", DOMAIN, "booking_events");

  public static final TableId USERS = TableId.of("silver", DOMAIN, "users");
  public static final TableId USERS_QUARANTINE = TableId.of("silver", DOMAIN, "users_quarantine");
  public static final TableId MENTORS = TableId.of("silver", DOMAIN, "mentors");
  public static final TableId MENTORS_QUARANTINE =
      TableId.of("silver", DOMAIN, "mentors_quarantine");
  public static final TableId EVENTS = TableId.of("silver", DOMAIN, "booking_events");
  public static final TableId EVENTS_QUARANTINE =
      TableId.of("silver", DOMAIN, "booking_events_quarantine");
  public static final TableId SESSIONS = TableId.of("silver", DOMAIN, "sessions");
  public static final TableId BOOKINGS = TableId.of("silver", DOMAIN, "bookings");
  public static final TableId SESSIONS_QUARANTINE =
      TableId.of("silver", DOMAIN, "sessions_quarantine");

  public static final TableId DIM_USERS = TableId.of("gold", DOMAIN, "dim_users");
  public static final TableId DIM_MENTORS = TableId.of("gold", DOMAIN, "dim_mentors");
  public static final TableId DIM_DATE = TableId.of("gold", DOMAIN, "dim_date");
  public static final TableId FCT_SESSIONS = TableId.of("gold", DOMAIN, "fct_sessions");
  public static final TableId FCT_BOOKINGS = TableId.of("gold", DOMAIN, "fct_bookings");
  public static final TableId REBOOKING = TableId.of("gold", DOMAIN, "rebooking_rate_by_tier");
  public static final TableId INTENT = TableId.of("gold", DOMAIN, "booking_intent_rate");
  public static final TableId RELIABILITY =
      TableId.of("gold", DOMAIN, "booking_reliability_by_tier");

  private MentoringTables() {}
}
