package com.acme.warehouse.jobs.sampledata;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * Writes the raw extracts of the selected domains, each with its {@code _truth.json}. Plain Java
 * streaming to files (through Hadoop's file system API, so {@code gs://} works too): no Spark job,
 * and memory does not grow with the scale.
 */
final class SampleDataGenerator {
  private final SampleDataSettings settings;
  private final Configuration hadoop;

  SampleDataGenerator(SampleDataSettings settings, Configuration hadoop) {
    this.settings = settings;
    this.hadoop = hadoop;
  }

  /** Generates every selected domain; returns rows written per domain. */
  Map<String, Long> run() {
    RawOutput out = new RawOutput(settings.out, hadoop);
    for (String domain : settings.domains) {
      if (out.hasFiles(domain) && !settings.overwrite) {
        throw new IllegalStateException(
            "sample-data.out: "
                + out.root()
                + "/"
                + domain
                + " already holds files; remove it or set sample-data.overwrite=true");
      }
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String domain : settings.domains) {
      out.delete(domain);
      Truth truth = generate(domain, out);
      try (RawOutput.LineWriter file = out.file(domain + "/_truth.json")) {
        file.line(truth.toJson().stripTrailing());
      }
      rows.put(domain, totalRows(truth));
    }
    return rows;
  }

  private Truth generate(String domain, RawOutput out) {
    switch (domain) {
      case MentoringSampleData.DOMAIN:
        return new MentoringSampleData(settings, out).generate();
      case CommerceSampleData.DOMAIN:
        return new CommerceSampleData(settings, out).generate();
      case AgentsSampleData.DOMAIN:
        return new AgentsSampleData(settings, out).generate();
      default:
        throw new IllegalArgumentException("no generator for domain " + domain);
    }
  }

  /** Every number under {@code files} (a source's rows, or a base table's). */
  @SuppressWarnings("unchecked")
  private static long totalRows(Truth truth) {
    long rows = 0;
    for (Object source : truth.section("files").values()) {
      Map<String, Object> counts = (Map<String, Object>) source;
      rows += counts.containsKey("rows") ? ((Number) counts.get("rows")).longValue() : sum(counts);
    }
    return rows;
  }

  private static long sum(Map<String, Object> counts) {
    return counts.values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
  }
}
