package com.acme.warehouse.jobs.sampledata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's promises, checked by reading the files back with code of its own: same seed and
 * scale give the same bytes, rows grow with the scale, and every planted defect is in the files
 * exactly as often as {@code _truth.json} says.
 */
class SampleDataGeneratorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final double SCALE = 0.1;
  private static final long SEED = 7;

  @TempDir static Path dir;
  private static Path raw;

  @BeforeAll
  static void generate() {
    raw = dir.resolve("raw");
    SampleDataFixture.generate(raw, SCALE, SEED, Map.of());
  }

  // ------------------------------------------------------------------ determinism and scale

  @Test
  void theSameSeedAndScaleGiveByteIdenticalFiles() {
    Path again = dir.resolve("again");
    SampleDataFixture.generate(again, SCALE, SEED, Map.of());

    Map<String, String> first = RawFiles.digests(raw);
    assertThat(first).hasSizeGreaterThan(100);
    assertThat(RawFiles.digests(again)).isEqualTo(first);
  }

  @Test
  void anotherSeedGivesOtherData() {
    Path other = dir.resolve("other-seed");
    SampleDataFixture.generate(
        other, SCALE, SEED + 1, Map.of("sample-data.domains", "[mentoring]"));

    assertThat(RawFiles.digests(other.resolve("mentoring")))
        .isNotEqualTo(RawFiles.digests(raw.resolve("mentoring")));
  }

  @Test
  void rowCountsGrowLinearlyWithTheScale() {
    Path doubled = dir.resolve("doubled");
    SampleDataFixture.generate(doubled, 2 * SCALE, SEED, Map.of());

    for (String[] entity :
        new String[][] {
          {"mentoring", "entities", "users"},
          {"mentoring", "entities", "events"},
          {"agents", "entities", "queries"},
          {"agents", "entities", "feedback"},
          {"commerce", "files", "base"}
        }) {
      JsonNode small = SampleDataFixture.truth(raw, entity[0]).get(entity[1]);
      JsonNode large = SampleDataFixture.truth(doubled, entity[0]).get(entity[1]);
      if (entity[2].equals("base")) {
        assertThat(large.get("base").get("orders").asLong())
            .isEqualTo(2 * small.get("base").get("orders").asLong());
        assertThat(large.get("base").get("customer").asLong())
            .isEqualTo(2 * small.get("base").get("customer").asLong());
        continue;
      }
      double ratio = large.get(entity[2]).asDouble() / small.get(entity[2]).asDouble();
      if (entity[2].equals("users") || entity[2].equals("queries")) {
        assertThat(ratio).as("%s %s ratio", entity[0], entity[2]).isEqualTo(2.0);
      } else {
        // Behaviour is random per entity (and tiny scales have few mentors), so within 10%.
        assertThat(ratio).as("%s %s ratio", entity[0], entity[2]).isBetween(1.8, 2.2);
      }
    }
    // Scale 1 is the quick-start size: ~100k events and ~100k queries per unit.
    assertThat(SampleDataFixture.truth(raw, "agents").get("entities").get("queries").asLong())
        .isEqualTo(10_000);
    assertThat(SampleDataFixture.truth(raw, "mentoring").get("entities").get("events").asLong())
        .isBetween(8_500L, 11_500L);
  }

  @Test
  void anExistingDomainFolderIsNotOverwrittenUnlessAsked() throws IOException {
    Path target = dir.resolve("existing");
    Files.createDirectories(target.resolve("mentoring"));
    Files.writeString(target.resolve("mentoring").resolve("keep.txt"), "real data");

    assertThatThrownBy(
            () ->
                SampleDataFixture.generate(
                    target, 0.01, 1, Map.of("sample-data.domains", "[mentoring]")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("sample-data.out: " + target.resolve("mentoring"))
        .hasMessageContaining("sample-data.overwrite=true");
    assertThat(target.resolve("mentoring").resolve("keep.txt")).exists();

    SampleDataFixture.generate(
        target,
        0.01,
        1,
        Map.of("sample-data.domains", "[mentoring]", "sample-data.overwrite", "true"));
    assertThat(target.resolve("mentoring").resolve("keep.txt")).doesNotExist();
    assertThat(target.resolve("mentoring").resolve("_truth.json")).exists();
  }

  // ------------------------------------------------------------------ mentoring

  @Test
  void mentoringEventDefectsAreInTheFilesAsOftenAsTheTruthSays() throws IOException {
    JsonNode truth = SampleDataFixture.truth(raw, "mentoring");
    JsonNode defects = truth.get("defects");
    List<RawFiles.Line> lines = RawFiles.lines(raw.resolve("mentoring"), "booking_events", false);
    assertThat((long) lines.size())
        .isEqualTo(truth.get("files").get("booking_events").get("rows").asLong());

    long malformed = 0;
    long duplicates = 0;
    Map<String, JsonNode> events = new LinkedHashMap<>();
    Map<String, String> firstDelivery = new HashMap<>();
    for (RawFiles.Line line : lines) {
      JsonNode event;
      try {
        event = JSON.readTree(line.text);
      } catch (IOException e) {
        malformed++;
        continue;
      }
      String id = event.get("event_id").asText();
      if (events.putIfAbsent(id, event) != null) {
        duplicates++;
      }
      firstDelivery.merge(id, line.dt, (a, b) -> a.compareTo(b) <= 0 ? a : b);
    }
    assertThat(malformed).isEqualTo(defects.get("malformed_json_lines").asLong()).isPositive();
    assertThat(duplicates).isEqualTo(defects.get("duplicate_events").asLong()).isPositive();
    assertThat((long) events.size()).isEqualTo(truth.get("entities").get("events").asLong());

    LocalDate start = LocalDate.parse(truth.get("start").asText());
    long late = 0;
    long stringIds = 0;
    long noisyMentors = 0;
    long started = 0;
    long ended = 0;
    for (JsonNode event : events.values()) {
      Instant at = Instant.parse(event.get("timestamp").asText());
      long day = at.getEpochSecond() / 86_400 - start.toEpochDay();
      LocalDate natural = start.plusDays((day / 7 + 1) * 7);
      if (LocalDate.parse(firstDelivery.get(event.get("event_id").asText())).isAfter(natural)) {
        late++;
      }
      stringIds += event.get("user_id").isTextual() ? 1 : 0;
      String mentor = event.get("mentor_id").asText();
      noisyMentors += mentor.equals(mentor.trim().toUpperCase(Locale.ROOT)) ? 0 : 1;
      started += event.get("event_type").asText().equals("session_started") ? 1 : 0;
      ended += event.get("event_type").asText().equals("session_ended") ? 1 : 0;
    }
    assertThat(late).isEqualTo(defects.get("late_events").asLong()).isPositive();
    assertThat(stringIds).isEqualTo(defects.get("user_id_as_string").asLong()).isPositive();
    assertThat(noisyMentors)
        .isEqualTo(defects.get("mentor_id_noise_in_events").asLong())
        .isPositive();
    assertThat(started).isEqualTo(truth.get("entities").get("sessions").asLong());
    assertThat(started - ended)
        .isEqualTo(defects.get("missing_session_ended").asLong())
        .isPositive();
    assertThat(events.values())
        .extracting(e -> e.get("user_id").asLong())
        .anySatisfy(id -> assertThat(id).isGreaterThan(Integer.MAX_VALUE));

    // Orphans: ids in events that no extract has.
    Set<Long> exported =
        RawFiles.lines(raw.resolve("mentoring"), "users", true).stream()
            .map(l -> Long.parseLong(l.text.split(",", -1)[0]))
            .collect(Collectors.toSet());
    Set<String> sheet =
        RawFiles.lines(raw.resolve("mentoring"), "mentors", true).stream()
            .map(l -> l.text.split(",", -1)[0].trim().toUpperCase(Locale.ROOT))
            .collect(Collectors.toSet());
    Set<Long> orphanUsers = new HashSet<>();
    Set<String> orphanMentors = new HashSet<>();
    long orphanUserEvents = 0;
    long orphanMentorEvents = 0;
    for (JsonNode event : events.values()) {
      long user = event.get("user_id").asLong();
      String mentor = event.get("mentor_id").asText().trim().toUpperCase(Locale.ROOT);
      if (!exported.contains(user)) {
        orphanUsers.add(user);
        orphanUserEvents++;
      }
      if (!sheet.contains(mentor)) {
        orphanMentors.add(mentor);
        orphanMentorEvents++;
      }
    }
    assertThat((long) orphanUsers.size())
        .isEqualTo(defects.get("orphan_users").asLong())
        .isPositive();
    assertThat(orphanUserEvents).isEqualTo(defects.get("orphan_user_events").asLong());
    assertThat((long) orphanMentors.size())
        .isEqualTo(defects.get("orphan_mentors").asLong())
        .isPositive();
    assertThat(orphanMentorEvents)
        .isEqualTo(defects.get("orphan_mentor_events").asLong())
        .isPositive();
  }

  @Test
  void mentoringExportDefectsAreInTheFilesAsOftenAsTheTruthSays() {
    JsonNode truth = SampleDataFixture.truth(raw, "mentoring");
    JsonNode defects = truth.get("defects");
    List<RawFiles.Line> users = RawFiles.lines(raw.resolve("mentoring"), "users", true);
    Set<String> canonicalStatus = Set.of("active", "churned", "invited");
    long duplicates = 0;
    long statusNoise = 0;
    long offsets = 0;
    Map<String, Set<String>> rowsByDelivery = new HashMap<>();
    Map<String, Set<Long>> usersByDelivery = new java.util.TreeMap<>();
    for (RawFiles.Line line : users) {
      String[] f = line.text.split(",", -1);
      assertThat(f).as(line.text).hasSize(6);
      if (!rowsByDelivery.computeIfAbsent(line.dt, k -> new HashSet<>()).add(line.text)) {
        duplicates++;
        continue; // a duplicate repeats its row's noise; count the noise once
      }
      usersByDelivery.computeIfAbsent(line.dt, k -> new HashSet<>()).add(Long.parseLong(f[0]));
      statusNoise += canonicalStatus.contains(f[4]) ? 0 : 1;
      offsets += f[5].endsWith("Z") ? 0 : 1;
      assertThat(canonicalStatus).contains(f[4].trim().toLowerCase(Locale.ROOT));
      assertThat(OffsetDateTime.parse(f[5]).toInstant().atOffset(ZoneOffset.UTC).getYear())
          .isBetween(2023, 2024);
    }
    assertThat(duplicates).isEqualTo(defects.get("duplicate_user_rows").asLong()).isPositive();
    assertThat(statusNoise).isEqualTo(defects.get("status_noise").asLong()).isPositive();
    assertThat(offsets).isEqualTo(defects.get("timestamps_with_offset").asLong()).isPositive();

    // A deleted user is in one export and missing from a later one.
    Set<Long> seen = new HashSet<>();
    Set<Long> vanished = new HashSet<>();
    for (Set<Long> delivery : usersByDelivery.values()) {
      for (Long user : seen) {
        if (!delivery.contains(user)) {
          vanished.add(user);
        }
      }
      seen.addAll(delivery);
    }
    assertThat((long) vanished.size())
        .isEqualTo(defects.get("deleted_users").asLong())
        .isPositive();

    List<RawFiles.Line> sheet = RawFiles.lines(raw.resolve("mentoring"), "mentors", true);
    long idNoise = 0;
    long tierNoise = 0;
    Map<String, Set<String>> tiers = new HashMap<>();
    for (RawFiles.Line line : sheet) {
      String[] f = line.text.split(",", -1);
      assertThat(f).as(line.text).hasSize(5);
      idNoise += f[0].equals(f[0].trim().toUpperCase(Locale.ROOT)) ? 0 : 1;
      tierNoise += Set.of("Gold", "Silver", "Bronze").contains(f[2]) ? 0 : 1;
      tiers
          .computeIfAbsent(f[0].trim().toUpperCase(Locale.ROOT), k -> new HashSet<>())
          .add(f[2].trim().toLowerCase(Locale.ROOT) + "@" + f[4]);
    }
    assertThat(idNoise).isEqualTo(defects.get("mentor_id_noise_in_sheet").asLong()).isPositive();
    assertThat(tierNoise).isEqualTo(defects.get("tier_noise").asLong()).isPositive();
    assertThat(tiers.values().stream().filter(versions -> versions.size() > 1).count())
        .isEqualTo(defects.get("tier_changes").asLong())
        .isPositive();
  }

  @Test
  void mentoringGroundTruthFollowsThePlantedRebookingProbabilities() {
    JsonNode groups =
        SampleDataFixture.truth(raw, "mentoring").get("ground_truth").get("first_session_tier");
    Map<String, Double> planted = Map.of("Gold", 0.6, "Silver", 0.25, "Bronze", 0.25);
    for (Map.Entry<String, Double> tier : planted.entrySet()) {
      JsonNode group = groups.get(tier.getKey());
      double n = group.get("observable_users").asDouble();
      double rate = group.get("rebooked").asDouble() / n;
      double sigma = Math.sqrt(tier.getValue() * (1 - tier.getValue()) / n);
      assertThat(n).as(tier.getKey()).isGreaterThan(50);
      assertThat(Math.abs(rate - tier.getValue())).as(tier.getKey()).isLessThan(4 * sigma);
    }
  }

  // ------------------------------------------------------------------ agents

  @Test
  void agentsDefectsAreInTheFilesAsOftenAsTheTruthSays() throws IOException {
    JsonNode truth = SampleDataFixture.truth(raw, "agents");
    JsonNode defects = truth.get("defects");
    Path agents = raw.resolve("agents");

    Set<String> known =
        RawFiles.lines(agents, "agents", true).stream()
            .map(l -> l.text.split(",", -1)[0])
            .collect(Collectors.toSet());
    long malformed = 0;
    long duplicates = 0;
    Map<String, JsonNode> queries = new LinkedHashMap<>();
    for (RawFiles.Line line : RawFiles.lines(agents, "agent_queries", false)) {
      JsonNode query;
      try {
        query = JSON.readTree(line.text);
      } catch (IOException e) {
        malformed++;
        continue;
      }
      if (queries.putIfAbsent(query.get("query_id").asText(), query) != null) {
        duplicates++;
      }
    }
    assertThat(malformed).isEqualTo(defects.get("malformed_json_lines").asLong()).isPositive();
    assertThat(duplicates).isEqualTo(defects.get("duplicate_queries").asLong()).isPositive();
    assertThat((long) queries.size()).isEqualTo(truth.get("entities").get("queries").asLong());
    Map<String, Long> perInstant = new HashMap<>();
    long nullConversations = 0;
    long unknownAgents = 0;
    for (JsonNode query : queries.values()) {
      perInstant.merge(
          query.get("agent").asText() + "@" + query.get("created_at").asText(), 1L, Long::sum);
      nullConversations += query.get("conversation_id").isNull() ? 1 : 0;
      unknownAgents += known.contains(query.get("agent").asText()) ? 0 : 1;
    }
    long sameInstant = perInstant.values().stream().mapToLong(n -> n - 1).sum();
    assertThat(sameInstant).isEqualTo(defects.get("same_timestamp_pairs").asLong()).isPositive();
    assertThat(nullConversations)
        .isEqualTo(defects.get("null_conversation_queries").asLong())
        .isPositive();
    assertThat(unknownAgents).isEqualTo(defects.get("unknown_agent_queries").asLong()).isPositive();

    Map<String, List<JsonNode>> approvals = new LinkedHashMap<>();
    for (RawFiles.Line line : RawFiles.lines(agents, "agent_approvals", false)) {
      JsonNode row = JSON.readTree(line.text);
      approvals.computeIfAbsent(row.get("approval_id").asText(), k -> new ArrayList<>()).add(row);
    }
    assertThat((long) approvals.size()).isEqualTo(truth.get("entities").get("approvals").asLong());
    assertThat(approvals.values().stream().filter(rows -> rows.size() > 1).count())
        .isEqualTo(defects.get("approvals_redelivered").asLong())
        .isPositive();
    assertThat(approvals.values())
        .filteredOn(rows -> rows.size() > 1)
        .allSatisfy(
            rows -> {
              assertThat(rows.get(0).get("status").asText()).isEqualTo("pending");
              assertThat(rows.get(1).get("status").asText())
                  .isIn("approved", "rejected", "expired");
            });

    long outOfRange = 0;
    long missing = 0;
    for (RawFiles.Line line : RawFiles.lines(agents, "agent_feedback", false)) {
      JsonNode row = JSON.readTree(line.text);
      boolean bad = false;
      for (String score : List.of("clarity_score", "accuracy_score", "tone_score")) {
        if (row.get(score).isNull()) {
          missing++;
        } else if (row.get(score).asInt() < 1 || row.get(score).asInt() > 5) {
          bad = true;
        }
      }
      outOfRange += bad ? 1 : 0;
      assertThat(row.get("labels").isArray()).isTrue();
    }
    assertThat(outOfRange).isEqualTo(defects.get("out_of_range_scores").asLong()).isPositive();
    assertThat(missing).isEqualTo(defects.get("missing_scores").asLong()).isPositive();

    Map<String, Set<String>> versions = new HashMap<>();
    for (RawFiles.Line line : RawFiles.lines(agents, "agents", true)) {
      String name = line.text.substring(0, line.text.indexOf(','));
      versions.computeIfAbsent(name, k -> new HashSet<>()).add(line.text);
      assertThat(line.text)
          .matches(
              "[a-z]+-agent-\\d{3},[a-z]+,\"\\[(\"\"[a-z_]+\"\",?)+\\]\",\\d+,0\\.\\d{4},\\S+Z");
    }
    assertThat(versions.values().stream().filter(v -> v.size() > 1).count())
        .isEqualTo(defects.get("agent_changes").asLong())
        .isPositive();
  }

  // ------------------------------------------------------------------ commerce

  private static final Map<String, Integer> TPCH_COLUMNS =
      Map.of(
          "customer",
          8,
          "orders",
          9,
          "lineitem",
          16,
          "part",
          9,
          "partsupp",
          5,
          "supplier",
          7,
          "nation",
          4,
          "region",
          3);

  @Test
  void commerceFilesAreInDbgenFormat() {
    JsonNode truth = SampleDataFixture.truth(raw, "commerce");
    Path base = raw.resolve("commerce").resolve("base").resolve("dt=1998-08-03");
    for (Map.Entry<String, Integer> table : TPCH_COLUMNS.entrySet()) {
      List<String> lines = RawFiles.read(base.resolve(table.getKey() + ".tbl"));
      assertThat((long) lines.size())
          .as(table.getKey())
          .isEqualTo(truth.get("files").get("base").get(table.getKey()).asLong())
          .isPositive();
      for (String line : lines) {
        assertTbl(line, table.getValue());
      }
      assertThat(lines.get(0)).as("no header in %s", table.getKey()).matches("^\\d+\\|.*");
    }
    for (Path file : RawFiles.files(raw.resolve("commerce").resolve("refresh"))) {
      String name = file.getFileName().toString();
      int columns = name.startsWith("orders") ? 9 : name.startsWith("lineitem") ? 16 : 1;
      assertThat(name).matches("(orders\\.tbl\\.u|lineitem\\.tbl\\.u|delete\\.)\\d+");
      for (String line : RawFiles.read(file)) {
        assertTbl(line, columns);
      }
    }
  }

  private static void assertTbl(String line, int columns) {
    assertThat(line).as("trailing separator").endsWith("|");
    assertThat(line.split("\\|", -1)).as(line).hasSize(columns + 1);
  }

  @Test
  void refreshSetsInsertNewKeysRedeliverAndDeleteOnlyKeysThatExist() {
    JsonNode truth = SampleDataFixture.truth(raw, "commerce");
    Path commerce = raw.resolve("commerce");
    Set<Long> live = new HashSet<>();
    for (String line : RawFiles.read(commerce.resolve("base/dt=1998-08-03/orders.tbl"))) {
      live.add(Long.parseLong(line.substring(0, line.indexOf('|'))));
    }
    Set<Long> deleted = new HashSet<>();
    Set<Long> redelivered = new HashSet<>();
    long deletedRedelivered = 0;
    JsonNode sets = truth.get("refresh").get("sets");
    assertThat(sets).hasSize(4);
    for (JsonNode set : sets) {
      int n = set.get("set").asInt();
      Path dir = commerce.resolve("refresh").resolve("dt=" + set.get("dt").asText());
      long inserted = 0;
      long updated = 0;
      Set<Long> newKeys = new HashSet<>();
      for (String line : RawFiles.read(dir.resolve("orders.tbl.u" + n))) {
        long key = Long.parseLong(line.substring(0, line.indexOf('|')));
        if (live.contains(key)) {
          updated++;
          redelivered.add(key);
          assertThat(deleted).doesNotContain(key);
        } else {
          assertThat(deleted).as("a new key, never used before").doesNotContain(key);
          inserted++;
          newKeys.add(key);
        }
      }
      for (String line : RawFiles.read(dir.resolve("lineitem.tbl.u" + n))) {
        long key = Long.parseLong(line.substring(0, line.indexOf('|')));
        assertThat(live.contains(key) || newKeys.contains(key))
            .as("line of a delivered order")
            .isTrue();
      }
      live.addAll(newKeys);
      for (String line : RawFiles.read(dir.resolve("delete." + n))) {
        long key = Long.parseLong(line.substring(0, line.length() - 1));
        assertThat(live).as("delete.%d deletes a key that exists", n).contains(key);
        live.remove(key);
        deleted.add(key);
        deletedRedelivered += redelivered.contains(key) ? 1 : 0;
      }
      assertThat(inserted).isEqualTo(set.get("inserted_orders").asLong()).isPositive();
      assertThat(updated).isEqualTo(set.get("updated_orders").asLong()).isPositive();
      assertThat((long) RawFiles.read(dir.resolve("delete." + n)).size())
          .isEqualTo(set.get("deleted_orders").asLong())
          .isPositive();
    }
    assertThat(deletedRedelivered).as("orders re-delivered, then deleted").isPositive();
  }
}
