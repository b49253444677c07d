package com.acme.warehouse.common.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the command line says about configuration: the environment file, an extra file and the
 * {@code --set} overrides (in the order given; a later one wins).
 */
public final class ConfigSources {
  private final String env;
  private final Path confFile;
  private final Map<String, String> overrides;

  private ConfigSources(String env, Path confFile, Map<String, String> overrides) {
    this.env = env;
    this.confFile = confFile;
    this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(overrides));
  }

  public static ConfigSources defaults() {
    return new ConfigSources(null, null, Map.of());
  }

  public static ConfigSources of(String env, Path confFile, Map<String, String> overrides) {
    return new ConfigSources(env, confFile, Objects.requireNonNull(overrides));
  }

  /** The same sources with more overrides, which win over the existing ones. */
  public ConfigSources withOverrides(Map<String, String> more) {
    Map<String, String> merged = new LinkedHashMap<>(overrides);
    merged.putAll(more);
    return new ConfigSources(env, confFile, merged);
  }

  public Optional<String> env() {
    return Optional.ofNullable(env);
  }

  public Optional<Path> confFile() {
    return Optional.ofNullable(confFile);
  }

  public Map<String, String> overrides() {
    return overrides;
  }
}
