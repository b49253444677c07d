package com.acme.warehouse.jobs.sampledata;

import com.acme.warehouse.common.config.ConfigReader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The validated {@code sample-data} section. */
final class SampleDataSettings {
  static final List<String> DOMAINS = List.of("mentoring", "commerce", "agents");

  final double scale;
  final long seed;
  final String out;
  final boolean overwrite;
  final List<String> domains;
  final long maxLinesPerFile;
  final Mentoring mentoring;
  final Agents agents;
  final Commerce commerce;

  private SampleDataSettings(ConfigReader c) {
    scale = c.doubleInRange("scale", 0.0001, 10_000);
    seed = c.longInRange("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    out = c.nonEmptyString("out");
    overwrite = c.bool("overwrite");
    domains = c.stringList("domains");
    for (String domain : domains) {
      if (!DOMAINS.contains(domain)) {
        c.problem("domains", "unknown domain '" + domain + "' (known: " + DOMAINS + ")");
      }
    }
    maxLinesPerFile = c.longInRange("max-lines-per-file", 1, Long.MAX_VALUE);
    mentoring = new Mentoring(c.at("mentoring"));
    agents = new Agents(c.at("agents"));
    commerce = new Commerce(c.at("commerce"));
  }

  static SampleDataSettings from(ConfigReader config) {
    return new SampleDataSettings(config);
  }

  /** Rows of an entity at this scale: at least one, so tiny test scales still have data. */
  long count(double perScale) {
    return Math.max(1, Math.round(perScale * scale));
  }

  private static LocalDate date(ConfigReader c, String key) {
    String text = c.string(key);
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      if (c.has(key)) {
        c.problem(key, "'" + text + "' is not a date (YYYY-MM-DD)");
      }
      return LocalDate.of(2000, 1, 1);
    }
  }

  private static double rate(ConfigReader c, String key) {
    return c.doubleInRange(key, 0, 1);
  }

  /** When the event sources cover and how often each kind of source is delivered. */
  static final class Period {
    final LocalDate start;
    final int days;
    final int eventDeliveryDays;
    final int exportDeliveryDays;

    Period(ConfigReader c) {
      start = date(c, "start");
      days = c.intInRange("days", 7, 3660);
      eventDeliveryDays = c.intInRange("event-delivery-days", 1, 366);
      exportDeliveryDays = c.intInRange("export-delivery-days", 1, 366);
    }

    LocalDate end() {
      return start.plusDays(days);
    }
  }

  static final class Mentoring {
    final Period period;
    final double usersPerScale;
    final double mentorsPerScale;
    final double neverBookShare;
    final int rebookWindowDays;
    final Map<String, Double> rebookProbability = new LinkedHashMap<>();
    final double unknownTierRebookProbability;
    final double laterReturnProbability;
    final double moreSessionsProbability;
    final double cancelProbability;
    final double noShowProbability;
    final int defaultSessionMinutes;
    final double duplicateUserRowRate;
    final double userIdAsStringRate;
    final double noiseRate;
    final double tierChangeRate;
    final double missingSessionEndRate;
    final double duplicateEventRate;
    final double lateEventRate;
    final double malformedLineRate;
    final double orphanUserRate;
    final double orphanMentorRate;
    final double deletedUserRate;
    final double timestampOffsetRate;

    Mentoring(ConfigReader c) {
      period = new Period(c);
      usersPerScale = c.doubleInRange("users-per-scale", 1, 1e9);
      mentorsPerScale = c.doubleInRange("mentors-per-scale", 1, 1e7);
      neverBookShare = rate(c, "never-book-share");
      rebookWindowDays = c.intInRange("rebook-window-days", 14, 365);
      for (String tier : List.of("Gold", "Silver", "Bronze")) {
        rebookProbability.put(tier, rate(c, "rebook-probability." + tier));
      }
      unknownTierRebookProbability = rate(c, "unknown-tier-rebook-probability");
      laterReturnProbability = rate(c, "later-return-probability");
      moreSessionsProbability = rate(c, "more-sessions-probability");
      cancelProbability = rate(c, "cancel-probability");
      noShowProbability = rate(c, "no-show-probability");
      if (cancelProbability + noShowProbability >= 0.9) {
        c.problem(
            "cancel-probability",
            "cancel-probability + no-show-probability must stay below 0.9 so sessions happen");
      }
      defaultSessionMinutes = c.intInRange("session-minutes", 15, 240);
      ConfigReader d = c.at("defects");
      duplicateUserRowRate = rate(d, "duplicate-user-row-rate");
      userIdAsStringRate = rate(d, "user-id-as-string-rate");
      noiseRate = rate(d, "noise-rate");
      tierChangeRate = rate(d, "tier-change-rate");
      missingSessionEndRate = rate(d, "missing-session-end-rate");
      duplicateEventRate = rate(d, "duplicate-event-rate");
      lateEventRate = rate(d, "late-event-rate");
      malformedLineRate = rate(d, "malformed-line-rate");
      orphanUserRate = rate(d, "orphan-user-rate");
      orphanMentorRate = rate(d, "orphan-mentor-rate");
      deletedUserRate = rate(d, "deleted-user-rate");
      timestampOffsetRate = rate(d, "timestamp-offset-rate");
      if (period.days <= rebookWindowDays) {
        c.problem("days", "must be longer than rebook-window-days (" + rebookWindowDays + ")");
      }
    }
  }

  static final class Agents {
    final Period period;
    final double queriesPerScale;
    final double agentsPerScale;
    final double approvalShare;
    final double feedbackShare;
    final double sameTimestampRate;
    final double nullConversationRate;
    final double unknownAgentRate;
    final double duplicateQueryRate;
    final double agentChangeRate;
    final double approvalRedeliveryRate;
    final double outOfRangeScoreRate;
    final double missingScoreRate;
    final double malformedLineRate;

    Agents(ConfigReader c) {
      period = new Period(c);
      queriesPerScale = c.doubleInRange("queries-per-scale", 1, 1e9);
      agentsPerScale = c.doubleInRange("agents-per-scale", 1, 1e7);
      approvalShare = rate(c, "approval-share");
      feedbackShare = rate(c, "feedback-share");
      ConfigReader d = c.at("defects");
      sameTimestampRate = rate(d, "same-timestamp-rate");
      nullConversationRate = rate(d, "null-conversation-rate");
      unknownAgentRate = rate(d, "unknown-agent-rate");
      duplicateQueryRate = rate(d, "duplicate-query-rate");
      agentChangeRate = rate(d, "agent-change-rate");
      approvalRedeliveryRate = rate(d, "approval-redelivery-rate");
      outOfRangeScoreRate = rate(d, "out-of-range-score-rate");
      missingScoreRate = rate(d, "missing-score-rate");
      malformedLineRate = rate(d, "malformed-line-rate");
    }
  }

  static final class Commerce {
    final double scaleFactorPerScale;
    final LocalDate baseDate;
    final int refreshSets;
    final int refreshEveryDays;
    final double insertRate;
    final double updateRate;
    final double deleteRate;
    final double deleteUpdatedShare;
    final double priceCorrectionShare;

    Commerce(ConfigReader c) {
      scaleFactorPerScale = c.doubleInRange("scale-factor-per-scale", 1e-6, 1000);
      baseDate = date(c, "base-date");
      refreshSets = c.intInRange("refresh-sets", 0, 1000);
      refreshEveryDays = c.intInRange("refresh-every-days", 1, 366);
      insertRate = rate(c, "insert-rate");
      updateRate = rate(c, "update-rate");
      deleteRate = rate(c, "delete-rate");
      deleteUpdatedShare = rate(c, "delete-updated-share");
      priceCorrectionShare = rate(c, "price-correction-share");
    }
  }
}
