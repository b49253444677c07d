package com.acme.warehouse.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Renders the effective configuration for the log: one {@code key = value} line per leaf, sorted,
 * with anything named like a secret masked.
 */
public final class EffectiveConfig {
  public static final String MASK = "********";

  /** Matched against each segment of a key path, so {@code bigquery.credentials-file} is masked. */
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(password|passwd|secret|token|credential|private[-_]?key|api[-_]?key|access[-_]?key).*");

  private EffectiveConfig() {}

  public static List<String> lines(Config config) {
    Map<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
      String key = entry.getKey();
      sorted.put(
          key, isSecret(key) ? MASK : entry.getValue().render(ConfigRenderOptions.concise()));
    }
    List<String> lines = new ArrayList<>();
    sorted.forEach((key, value) -> lines.add(key + " = " + value));
    return lines;
  }

  public static boolean isSecret(String keyPath) {
    for (String segment : ConfigUtil.splitPath(keyPath)) {
      if (SECRET_NAME.matcher(segment).matches()) {
        return true;
      }
    }
    return false;
  }
}
