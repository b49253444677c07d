package com.acme.warehouse.jobs.sampledata;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Agent-analytics extracts, as exported from the operational Postgres: a full export of agents and
 * new rows of queries, approvals (re-exported when their state changes) and feedback, with the
 * defects of DOMAINS.md planted at configured rates.
 */
final class AgentsSampleData {
  static final String DOMAIN = "agents";
  private static final String DEFECTS = "defects";
  private static final List<String> TYPES =
      List.of("data", "engineer", "support", "marketing", "ai", "qa", "ops");
  private static final List<String> CAPABILITIES =
      List.of(
          "sql",
          "python",
          "search",
          "summarize",
          "email",
          "code_review",
          "ticketing",
          "translation",
          "charts",
          "web");
  private static final List<Integer> SLA_SECONDS = List.of(60, 120, 300, 600, 1800, 3600);
  private static final List<String> LABELS =
      List.of("helpful", "correct", "hallucination", "too_long", "off_tone", "needs_citation");
  private static final List<String> TEAMS = List.of("team-a", "team-b", "team-c", "team-d");
  private static final List<String> ANNOTATOR_TYPES = List.of("annotator", "qa_team", "operator");
  private static final List<String> TOPICS =
      List.of(
          "revenue by region",
          "open tickets",
          "churned accounts",
          "failed deployments",
          "campaign clicks",
          "latency outliers",
          "refunds",
          "weekly active users");
  private static final List<String> ASKS =
      List.of("show", "summarise", "explain", "list", "compare", "chart");

  private final SampleDataSettings settings;
  private final SampleDataSettings.Agents cfg;
  private final RawOutput out;
  private final Truth truth;
  private final LocalDate start;
  private final Instant startAt;
  private final Instant endAt;
  private final Rng rng;
  private final List<Agent> agents = new ArrayList<>();
  private final List<String> unknownAgents = new ArrayList<>();
  private final List<String[]> approvers = new ArrayList<>(); // name
  private final List<String[]> annotators = new ArrayList<>(); // name, type, team
  private long idCounter;

  AgentsSampleData(SampleDataSettings settings, RawOutput out) {
    this.settings = settings;
    this.cfg = settings.agents;
    this.out = out;
    this.truth = new Truth(DOMAIN, settings.seed, settings.scale);
    this.start = cfg.period.start;
    this.startAt = Times.at(start);
    this.endAt = Times.at(cfg.period.end());
    this.rng = Rng.of(settings.seed, "agents");
    truth.put("start", start.toString());
    truth.put("end", cfg.period.end().toString());
    truth.declare(
        DEFECTS,
        "same_timestamp_pairs",
        "null_conversation_queries",
        "unknown_agent_queries",
        "duplicate_queries",
        "agent_changes",
        "approvals_redelivered",
        "out_of_range_scores",
        "missing_scores",
        "malformed_json_lines");
    truth.declare(
        "entities",
        "agents",
        "users",
        "conversations",
        "queries",
        "approvals",
        "approval_rows",
        "feedback",
        "unsafe_feedback");
    truth.declare(
        "ground_truth", "approvals_resolved", "approvals_sla_met", "approvals_pending_at_end");
  }

  Truth generate() {
    createAgentsAndUsers();
    List<LocalDate> eventDates =
        Times.eventDeliveries(start, cfg.period.days, cfg.period.eventDeliveryDays);
    long target = settings.count(cfg.queriesPerScale);
    try (Deliveries queries = parts("agent_queries", "queries", eventDates);
        Deliveries approvals = parts("agent_approvals", "approvals", eventDates);
        Deliveries feedback = parts("agent_feedback", "feedback", eventDates)) {
      long written = 0;
      long conversation = 0;
      while (written < target) {
        written += conversation(conversation++, target - written, queries, approvals, feedback);
      }
      truth.section("entities").put("conversations", conversation);
      files("agent_queries", queries);
      files("agent_approvals", approvals);
      files("agent_feedback", feedback);
    }
    writeAgentExports();
    return truth;
  }

  private Deliveries parts(String source, String prefix, List<LocalDate> dates) {
    return Deliveries.parts(
        out, DOMAIN + "/" + source, dates, prefix, "json", settings.maxLinesPerFile);
  }

  private void files(String source, Deliveries deliveries) {
    Map<String, Object> node = truth.section("files", source);
    node.put("deliveries", deliveries.count());
    node.put("files", deliveries.files());
    node.put("rows", deliveries.lines());
  }

  private String id(String prefix) {
    return String.format("%s-%016x", prefix, Rng.mix(settings.seed * 131 + idCounter++));
  }

  // ---------------------------------------------------------------- agents and people

  /** An agent and its versions: what changed at which time. */
  private static final class Agent {
    final String name;
    final String type;
    final double latencyMedianMs;
    final List<Instant> from = new ArrayList<>();
    final List<List<String>> capabilities = new ArrayList<>();
    final List<Integer> sla = new ArrayList<>();
    final List<String> cost = new ArrayList<>();

    Agent(String name, String type, double latencyMedianMs) {
      this.name = name;
      this.type = type;
      this.latencyMedianMs = latencyMedianMs;
    }

    int versionAt(Instant instant) {
      int version = 0;
      for (int v = 0; v < from.size(); v++) {
        if (!from.get(v).isAfter(instant)) {
          version = v;
        }
      }
      return version;
    }
  }

  private void createAgentsAndUsers() {
    long count = Math.max(4, settings.count(cfg.agentsPerScale));
    long changes = Shares.atLeastOne(count, cfg.agentChangeRate);
    for (int i = 0; i < count; i++) {
      String type = TYPES.get(i % TYPES.size());
      Agent agent =
          new Agent(String.format("%s-agent-%03d", type, i + 1), type, rng.uniform(300, 2500));
      agent.from.add(startAt.minus(Times.days(rng, 30, 400)));
      agent.capabilities.add(capabilities(null));
      agent.sla.add(rng.pick(SLA_SECONDS));
      agent.cost.add(cost());
      if (Shares.spread(i, count, changes)) {
        agent.from.add(
            Times.between(rng, startAt.plus(Duration.ofDays(7)), endAt.minus(Duration.ofDays(7))));
        int what = rng.between(0, 2);
        agent.capabilities.add(
            what == 0 ? capabilities(agent.capabilities.get(0)) : agent.capabilities.get(0));
        int sla = agent.sla.get(0);
        while (what == 1 && sla == agent.sla.get(0)) {
          sla = rng.pick(SLA_SECONDS);
        }
        agent.sla.add(sla);
        agent.cost.add(what == 2 ? cost() : agent.cost.get(0));
        truth.increment(DEFECTS, "agent_changes");
      }
      agents.add(agent);
    }
    long unknown = Math.max(1, count / 10);
    for (int i = 0; i < unknown; i++) {
      unknownAgents.add(String.format("legacy-agent-%03d", i + 1));
    }
    long people = Math.max(6, settings.count(12));
    for (int i = 0; i < people; i++) {
      if (i % 3 == 0) {
        approvers.add(new String[] {String.format("approver-%03d", i + 1)});
      } else {
        annotators.add(
            new String[] {
              String.format("annotator-%03d", i + 1), rng.pick(ANNOTATOR_TYPES), rng.pick(TEAMS)
            });
      }
    }
    truth.section("entities").put("agents", count);
    truth.section("entities").put("users", people);
  }

  /** Two to four capabilities; a change adds or drops one. */
  private List<String> capabilities(List<String> before) {
    List<String> chosen = new ArrayList<>();
    if (before == null) {
      int n = rng.between(2, 4);
      while (chosen.size() < n) {
        String capability = rng.pick(CAPABILITIES);
        if (!chosen.contains(capability)) {
          chosen.add(capability);
        }
      }
      return chosen;
    }
    chosen.addAll(before);
    if (chosen.size() > 2 && rng.chance(0.5)) {
      chosen.remove(rng.between(0, chosen.size() - 1));
    } else {
      for (String capability : CAPABILITIES) {
        if (!chosen.contains(capability)) {
          chosen.add(capability);
          break;
        }
      }
    }
    return chosen;
  }

  private String cost() {
    return String.format(Locale.ROOT, "%.4f", rng.uniform(0.001, 0.25));
  }

  private void writeAgentExports() {
    List<LocalDate> dates =
        Times.exportDeliveries(start, cfg.period.days, cfg.period.exportDeliveryDays);
    try (Deliveries exports =
        Deliveries.fixedName(
            out,
            DOMAIN + "/agents",
            dates,
            "agents.csv",
            "agent_name,agent_type,capabilities,sla_target_seconds,cost_per_query_usd,updated_at")) {
      for (int d = 0; d < dates.size(); d++) {
        Instant asOf = Times.at(dates.get(d));
        for (Agent agent : agents) {
          int v = agent.versionAt(asOf);
          JsonLine capabilities = new JsonLine();
          String json = capabilities.strings("c", agent.capabilities.get(v)).toString();
          exports.write(
              d,
              Csv.line(
                  agent.name,
                  agent.type,
                  json.substring(json.indexOf('['), json.length() - 1),
                  Integer.toString(agent.sla.get(v)),
                  agent.cost.get(v),
                  Times.iso(agent.from.get(v))));
        }
      }
      files("agents", exports);
    }
  }

  // ---------------------------------------------------------------- conversations

  /** One conversation's queries, with their approvals and feedback; returns queries written. */
  private long conversation(
      long index, long remaining, Deliveries queries, Deliveries approvals, Deliveries feedback) {
    Agent agent = rng.pick(agents);
    String conversationId =
        String.format("conv-%012x", Rng.mix(settings.seed * 7 + index) & 0xffffffffffffL);
    int n =
        (int) Math.min(remaining, 1 + Math.min(9, (long) (-Math.log(1 - rng.nextDouble()) * 2)));
    Instant at = Times.between(rng, startAt, endAt.minus(Duration.ofHours(6)));
    long written = 0;
    for (int q = 0; q < n && written < remaining; q++) {
      written += query(agent, conversationId, at, queries, approvals, feedback);
      at = at.plus(Times.minutes(rng, 0.2, 20));
    }
    return written;
  }

  private long query(
      Agent agent,
      String conversationId,
      Instant createdAt,
      Deliveries queries,
      Deliveries approvals,
      Deliveries feedback) {
    if (!createdAt.isBefore(endAt)) {
      return 0;
    }
    String agentName = agent.name;
    if (rng.chance(cfg.unknownAgentRate)) {
      agentName = rng.pick(unknownAgents);
    }
    String conversation = conversationId;
    if (rng.chance(cfg.nullConversationRate)) {
      conversation = null;
    }
    Instant created = createdAt.plusMillis(rng.between(0, 999));
    String decision = null;
    if (rng.chance(cfg.approvalShare)) {
      decision = approval(agent, agentName, conversation, created, approvals);
    }
    writeQuery(agent, agentName, conversation, created, decision, queries);
    long written = 1;
    if (rng.chance(cfg.sameTimestampRate)) {
      // A second, distinct query of the same agent at the very same instant.
      writeQuery(agent, agentName, conversation, created, null, queries);
      truth.increment(DEFECTS, "same_timestamp_pairs");
      written++;
    }
    if (rng.chance(cfg.feedbackShare)) {
      int entries = rng.chance(0.2) ? 2 : 1;
      for (int f = 0; f < entries; f++) {
        feedback(agentName, conversation, created, feedback);
      }
    }
    return written;
  }

  private void writeQuery(
      Agent agent,
      String agentName,
      String conversation,
      Instant created,
      String decision,
      Deliveries queries) {
    String json =
        new JsonLine()
            .str("query_id", id("q"))
            .str("agent", agentName)
            .str("conversation_id", conversation)
            .str(
                "query",
                rng.pick(ASKS)
                    + " "
                    + rng.pick(TOPICS)
                    + " for "
                    + Times.date(created).getMonth().toString().toLowerCase(Locale.ROOT))
            .num("latency_ms", Math.max(20, Math.round(rng.logNormal(agent.latencyMedianMs, 0.6))))
            .bool(
                "approved",
                decision == null
                    ? null
                    : decision.equals("approved")
                        ? Boolean.TRUE
                        : decision.equals("rejected") ? Boolean.FALSE : null)
            .bool("human_edited", rng.chance(0.08))
            .bool("error_occurred", rng.chance(0.03))
            .num("result_size_bytes", Math.round(rng.logNormal(2048, 1.0)))
            .str("created_at", Times.isoMillis(created))
            .toString();
    truth.increment("entities", "queries");
    // Counted per query written: a same-instant twin shares its agent and conversation.
    if (!agentName.equals(agent.name)) {
      truth.increment(DEFECTS, "unknown_agent_queries");
    }
    if (conversation == null) {
      truth.increment(DEFECTS, "null_conversation_queries");
    }
    int last = queries.count() - 1;
    int delivery =
        Math.min(last, Times.eventDelivery(start, cfg.period.eventDeliveryDays, created));
    queries.write(delivery, json);
    if (rng.chance(cfg.malformedLineRate)) {
      queries.write(delivery, json.substring(0, rng.between(1, json.length() - 2)));
      truth.increment(DEFECTS, "malformed_json_lines");
    }
    if (rng.chance(cfg.duplicateQueryRate)) {
      queries.write(Math.min(last, delivery + rng.between(0, 1)), json);
      truth.increment(DEFECTS, "duplicate_queries");
    }
  }

  /**
   * An approval's rows: one when it resolves within the delivery it was created in, otherwise a
   * pending row and, once resolved, the final row in a later delivery. Returns the decision.
   */
  private String approval(
      Agent agent, String agentName, String conversation, Instant queryAt, Deliveries approvals) {
    String approvalId = id("apr");
    Instant created = queryAt.plusSeconds(rng.between(1, 30));
    int sla = agent.sla.get(agent.versionAt(created));
    double x = rng.nextDouble();
    String status = x < 0.75 ? "approved" : x < 0.9 ? "rejected" : "expired";
    Instant resolved;
    int createdDelivery = Times.eventDelivery(start, cfg.period.eventDeliveryDays, created);
    Instant deliveryEnd =
        Times.at(start.plusDays((long) (createdDelivery + 1) * cfg.period.eventDeliveryDays));
    if (status.equals("expired")) {
      resolved = created.plus(Duration.ofHours(24));
    } else if (rng.chance(cfg.approvalRedeliveryRate)) {
      resolved = deliveryEnd.plus(Times.hours(rng, 1, 72)); // still pending at the next export
    } else {
      resolved = created.plusSeconds(Math.max(5, Math.round(rng.logNormal(sla * 0.6, 0.8))));
    }
    String approver = rng.pick(approvers)[0];
    int interruptions = rng.chance(0.2) ? rng.between(1, 3) : 0;
    truth.increment("entities", "approvals");
    int last = approvals.count() - 1;
    int resolvedDelivery = Times.eventDelivery(start, cfg.period.eventDeliveryDays, resolved);
    boolean resolvedInRange = resolved.isBefore(endAt);
    if (!resolvedInRange || resolvedDelivery > createdDelivery) {
      approvals.write(
          Math.min(last, createdDelivery),
          approvalRow(
              approvalId, agentName, conversation, null, "pending", 0, created, null, created));
      truth.increment("entities", "approval_rows");
    }
    if (resolvedInRange) {
      approvals.write(
          Math.min(last, resolvedDelivery),
          approvalRow(
              approvalId,
              agentName,
              conversation,
              status.equals("expired") ? null : approver,
              status,
              interruptions,
              created,
              resolved,
              resolved));
      truth.increment("entities", "approval_rows");
      truth.increment("ground_truth", "approvals_resolved");
      if (!status.equals("expired") && Duration.between(created, resolved).getSeconds() <= sla) {
        truth.increment("ground_truth", "approvals_sla_met");
      }
      if (resolvedDelivery > createdDelivery) {
        truth.increment(DEFECTS, "approvals_redelivered");
      }
    } else {
      truth.increment("ground_truth", "approvals_pending_at_end");
    }
    return resolvedInRange ? status : null;
  }

  private static String approvalRow(
      String approvalId,
      String agent,
      String conversation,
      String approvedBy,
      String status,
      int interruptions,
      Instant created,
      Instant resolved,
      Instant updated) {
    return new JsonLine()
        .str("approval_id", approvalId)
        .str("agent", agent)
        .str("conversation_id", conversation)
        .str("approved_by", approvedBy)
        .str("status", status)
        .num("interruption_count", interruptions)
        .str("created_at", Times.isoMillis(created))
        .str("resolved_at", resolved == null ? null : Times.isoMillis(resolved))
        .str("updated_at", Times.isoMillis(updated))
        .toString();
  }

  private void feedback(
      String agentName, String conversation, Instant queryAt, Deliveries feedback) {
    String[] annotator = rng.pick(annotators);
    Instant created = queryAt.plus(Times.minutes(rng, 1, 3 * 1440));
    if (!created.isBefore(endAt)) {
      return;
    }
    Instant annotated = created.plus(Times.minutes(rng, 1, 120));
    Integer[] scores = new Integer[3];
    for (int s = 0; s < 3; s++) {
      if (rng.chance(cfg.missingScoreRate)) {
        truth.increment(DEFECTS, "missing_scores");
      } else {
        scores[s] = rng.pick(List.of(1, 2, 3, 3, 4, 4, 4, 5, 5, 5));
      }
    }
    if (rng.chance(cfg.outOfRangeScoreRate)) {
      int s = rng.between(0, 2);
      if (scores[s] == null) {
        truth.add(DEFECTS, "missing_scores", -1);
      }
      scores[s] = rng.pick(List.of(0, 6, 7, -1, 10));
      truth.increment(DEFECTS, "out_of_range_scores");
    }
    boolean safe = !rng.chance(0.05);
    if (!safe) {
      truth.increment("entities", "unsafe_feedback");
    }
    List<String> labels = new ArrayList<>();
    int n = rng.between(0, 3);
    while (labels.size() < n) {
      String label = rng.pick(LABELS);
      if (!labels.contains(label)) {
        labels.add(label);
      }
    }
    String json =
        new JsonLine()
            .str("feedback_id", id("fb"))
            .str("agent", agentName)
            .str("conversation_id", conversation)
            .str("annotator", annotator[0])
            .str("annotator_type", annotator[1])
            .str("team", annotator[2])
            .bool("safe_to_send", safe)
            .rawNumber("clarity_score", scores[0] == null ? null : scores[0].toString())
            .rawNumber("accuracy_score", scores[1] == null ? null : scores[1].toString())
            .rawNumber("tone_score", scores[2] == null ? null : scores[2].toString())
            .strings("labels", labels)
            .str("created_at", Times.isoMillis(created))
            .str("annotated_at", Times.isoMillis(annotated))
            .toString();
    truth.increment("entities", "feedback");
    int delivery =
        Math.min(
            feedback.count() - 1,
            Times.eventDelivery(start, cfg.period.eventDeliveryDays, created));
    feedback.write(delivery, json);
  }
}
