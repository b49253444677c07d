package com.acme.warehouse.common.scd;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random sequences of batches — inserts, changes, late rows, duplicates, re-sent versions, full
 * extracts with deletes and revivals — applied by the engine and by a small in-memory model of
 * SCD2; after every batch the two histories must be the same and the invariants must hold.
 */
class Scd2PropertyTest extends SparkTestBase {
  private static final String DDL = "id BIGINT, tier STRING, updated_at TIMESTAMP";
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");
  private static final List<String> TIERS = java.util.Arrays.asList("A", "B", null);
  private static final int BATCHES = 4;

  @ParameterizedTest(name = "seed {0}: {1}, deletes {2}")
  @CsvSource({"1, CHECK, NEW_RECORD", "2, TIMESTAMP, INVALIDATE", "3, CHECK, IGNORE"})
  void theEngineAgreesWithTheModel(
      long seed, ScdSpec.Strategy strategy, ScdSpec.HardDeletes deletes) {
    Random random = new Random(seed);
    Model model = new Model(strategy == ScdSpec.Strategy.CHECK);
    String target = path("property-" + seed);
    for (int b = 0; b < BATCHES; b++) {
      Instant base = START.plus(Duration.ofDays(10L * b));
      Instant extractTime = base.plus(Duration.ofDays(9));
      List<Object[]> batch = randomBatch(random, model, base, b);
      ScdSpec.Builder spec = ScdSpec.builder("id");
      if (strategy == ScdSpec.Strategy.CHECK) {
        spec.check("tier").updatedAt("updated_at");
      } else {
        spec.timestamp("updated_at");
      }
      boolean fullExtract = deletes != ScdSpec.HardDeletes.IGNORE;
      spec.fullExtract(fullExtract).hardDeletes(deletes).effectiveTime(extractTime);

      Scd2Merge.apply(spark, df(DDL, json(batch)), target, spec.build());
      model.apply(batch, fullExtract ? deletes : ScdSpec.HardDeletes.IGNORE, extractTime);

      assertSameRows(
          df(
              "id BIGINT, tier STRING, valid_from TIMESTAMP, valid_to TIMESTAMP, is_current BOOLEAN, is_deleted BOOLEAN",
              model.rows()),
          spark
              .read()
              .format("delta")
              .load(target)
              .select("id", "tier", "valid_from", "valid_to", "is_current", "is_deleted"));
      assertThat(
              ScdInvariants.violations(
                      spark.read().format("delta").load(target),
                      List.of("id"),
                      ScdColumns.defaults(),
                      deletes == ScdSpec.HardDeletes.INVALIDATE)
                  .collectAsList())
          .as("invariants after batch %d", b)
          .isEmpty();
    }
  }

  /** Rows for some keys: changes, unchanged rows, late rows, re-sent versions, exact duplicates. */
  private static List<Object[]> randomBatch(
      Random random, Model model, Instant base, int batchNumber) {
    List<Object[]> rows = new ArrayList<>();
    Map<Long, Set<Instant>> usedNow = new HashMap<>();
    for (long id = 1; id <= 5; id++) {
      if (random.nextDouble() < 0.3) {
        continue; // absent: a delete in a full extract
      }
      int versions = 1 + random.nextInt(2);
      for (int v = 0; v < versions; v++) {
        if (random.nextDouble() < 0.15 && model.hasVersions(id)) {
          rows.add(model.someVersion(id, random)); // re-sent: nothing should change
          continue;
        }
        Instant at =
            random.nextDouble() < 0.25 && batchNumber > 0
                ? base.minus(Duration.ofDays(1 + random.nextInt(15))) // late
                : base.plus(Duration.ofDays(random.nextInt(6)));
        at = at.plus(Duration.ofHours(random.nextInt(24)));
        if (model.startsAt(id, at) || !usedNow.computeIfAbsent(id, k -> new HashSet<>()).add(at)) {
          continue; // would clash with an existing version: not what this test is about
        }
        Object[] row = {id, TIERS.get(random.nextInt(TIERS.size())), at};
        rows.add(row);
        if (random.nextDouble() < 0.1) {
          rows.add(row.clone()); // exact duplicate
        }
      }
    }
    return rows;
  }

  private static String[] json(List<Object[]> rows) {
    return rows.stream()
        .map(
            r ->
                "{\"id\":"
                    + r[0]
                    + ",\"tier\":"
                    + (r[1] == null ? "null" : "\"" + r[1] + "\"")
                    + ",\"updated_at\":\""
                    + r[2]
                    + "\"}")
        .toArray(String[]::new);
  }

  /** SCD2 as plainly as possible: per key, the versions (and delete closings) in time order. */
  private static final class Model {
    private final boolean check;
    private final Map<Long, List<Entry>> history = new TreeMap<>();

    Model(boolean check) {
      this.check = check;
    }

    private static final class Entry {
      final Instant from;
      final String tier;
      final boolean deleted;
      final boolean closeOnly;
      boolean fromBatch;

      Entry(Instant from, String tier, boolean deleted, boolean closeOnly) {
        this.from = from;
        this.tier = tier;
        this.deleted = deleted;
        this.closeOnly = closeOnly;
      }

      boolean sameVersion(Entry other) {
        return from.equals(other.from)
            && Objects.equals(tier, other.tier)
            && deleted == other.deleted
            && closeOnly == other.closeOnly;
      }
    }

    boolean hasVersions(long id) {
      return history.containsKey(id)
          && history.get(id).stream().anyMatch(e -> !e.closeOnly && !e.deleted);
    }

    boolean startsAt(long id, Instant at) {
      return history.getOrDefault(id, List.of()).stream()
          .anyMatch(e -> !e.closeOnly && e.from.equals(at));
    }

    Object[] someVersion(long id, Random random) {
      List<Entry> versions = new ArrayList<>();
      for (Entry e : history.get(id)) {
        if (!e.closeOnly && !e.deleted) {
          versions.add(e);
        }
      }
      Entry e = versions.get(random.nextInt(versions.size()));
      return new Object[] {id, e.tier, e.from};
    }

    void apply(List<Object[]> batch, ScdSpec.HardDeletes deletes, Instant extractTime) {
      Set<Long> present = new HashSet<>();
      for (Object[] row : batch) {
        present.add((Long) row[0]);
      }
      if (deletes != ScdSpec.HardDeletes.IGNORE) {
        for (Map.Entry<Long, List<Entry>> key : history.entrySet()) {
          List<Entry> entries = key.getValue();
          Entry last = entries.get(entries.size() - 1);
          if (!present.contains(key.getKey())
              && !last.closeOnly
              && !last.deleted
              && last.from.isBefore(extractTime)) {
            boolean invalidate = deletes == ScdSpec.HardDeletes.INVALIDATE;
            Entry delete = new Entry(extractTime, last.tier, true, invalidate);
            if (invalidate) {
              delete = new Entry(extractTime, null, true, true);
            }
            delete.fromBatch = true;
            entries.add(delete);
          }
        }
      }
      for (Object[] row : batch) {
        Entry entry = new Entry((Instant) row[2], (String) row[1], false, false);
        List<Entry> entries = history.computeIfAbsent((Long) row[0], k -> new ArrayList<>());
        if (entries.stream().noneMatch(e -> e.sameVersion(entry))) {
          entry.fromBatch = true;
          entries.add(entry);
        }
      }
      for (List<Entry> entries : history.values()) {
        entries.sort(Comparator.comparing((Entry e) -> e.from).thenComparing(e -> !e.closeOnly));
        if (check) {
          List<Entry> drop = new ArrayList<>();
          for (int i = 1; i < entries.size(); i++) {
            Entry prev = entries.get(i - 1);
            Entry cur = entries.get(i);
            // Equal to the version before it: no version, whichever of the two arrived first.
            if (!cur.closeOnly
                && !prev.closeOnly
                && Objects.equals(prev.tier, cur.tier)
                && prev.deleted == cur.deleted) {
              drop.add(cur);
            }
          }
          entries.removeAll(drop);
        }
        entries.forEach(e -> e.fromBatch = false);
      }
    }

    String[] rows() {
      List<String> rows = new ArrayList<>();
      for (Map.Entry<Long, List<Entry>> key : history.entrySet()) {
        List<Entry> entries = key.getValue();
        for (int i = 0; i < entries.size(); i++) {
          Entry e = entries.get(i);
          if (e.closeOnly) {
            continue;
          }
          Instant to = i + 1 < entries.size() ? entries.get(i + 1).from : null;
          rows.add(
              "{\"id\":"
                  + key.getKey()
                  + ",\"tier\":"
                  + (e.tier == null ? "null" : "\"" + e.tier + "\"")
                  + ",\"valid_from\":\""
                  + e.from
                  + "\",\"valid_to\":"
                  + (to == null ? "null" : "\"" + to + "\"")
                  + ",\"is_current\":"
                  + (to == null)
                  + ",\"is_deleted\":"
                  + e.deleted
                  + "}");
        }
      }
      return rows.toArray(new String[0]);
    }
  }
}
