package com.acme.warehouse.common.config;

import java.util.Map;
import java.util.Optional;

/** How to build the SparkSession ({@code spark.*}). */
public final class SparkConfig {
  private final String master;
  private final String appName;
  private final Map<String, String> settings;

  public SparkConfig(String master, String appName, Map<String, String> settings) {
    this.master = master;
    this.appName = appName;
    this.settings = Map.copyOf(settings);
  }

  static SparkConfig from(ConfigReader config) {
    String master = config.optionalString("master").orElse(null);
    String appName = config.nonEmptyString("app-name");
    Map<String, String> settings = config.flatStrings("conf");
    for (String key : settings.keySet()) {
      if (!key.startsWith("spark.")) {
        config.problem("conf." + key, "not a Spark setting (Spark settings start with 'spark.')");
      }
    }
    return new SparkConfig(master, appName, settings);
  }

  /** The master to use when no launcher (spark-submit) has set one. */
  public Optional<String> master() {
    return Optional.ofNullable(master);
  }

  public String appName() {
    return appName;
  }

  /** Spark settings passed to the session as they are. */
  public Map<String, String> settings() {
    return settings;
  }
}
