package com.acme.warehouse.jobs.sampledata;

import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.config.ConfigSources;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/** Runs the generator from the real configuration with a few overrides, without Spark. */
final class SampleDataFixture {
  private SampleDataFixture() {}

  static SampleDataSettings settings(Path out, double scale, long seed, Map<String, String> more) {
    Map<String, String> overrides = new LinkedHashMap<>();
    overrides.put("sample-data.out", out.toString());
    overrides.put("sample-data.scale", Double.toString(scale));
    overrides.put("sample-data.seed", Long.toString(seed));
    overrides.putAll(more);
    ConfigReader reader =
        new ConfigReader(
            ConfigLoader.fromClasspath().load(ConfigSources.of(null, null, overrides)));
    SampleDataSettings settings = SampleDataSettings.from(reader.at("sample-data"));
    reader.throwIfInvalid();
    return settings;
  }

  static Map<String, Long> generate(Path out, double scale, long seed, Map<String, String> more) {
    return new SampleDataGenerator(settings(out, scale, seed, more), new Configuration()).run();
  }

  static JsonNode truth(Path out, String domain) {
    try {
      return new ObjectMapper().readTree(out.resolve(domain).resolve("_truth.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
