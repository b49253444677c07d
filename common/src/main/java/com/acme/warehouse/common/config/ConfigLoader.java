package com.acme.warehouse.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Loads the layered configuration. Precedence, highest first: {@code --set} overrides, {@code
 * --conf-file}, {@code conf/<env>.conf}, {@code conf/application.conf}. Substitutions (including
 * {@code ${?ENV_VAR}}) are resolved once, after all layers are merged, so an override of a base key
 * reaches every key derived from it.
 *
 * <p>The {@code conf/} files are read from a directory when {@value #CONF_DIR_ENV} names one (local
 * runs: an edit applies without a rebuild), otherwise from the classpath (the job jar carries
 * them).
 */
public final class ConfigLoader {
  public static final String CONF_DIR_ENV = "WAREHOUSE_CONF_DIR";
  static final String BASE_FILE = "application.conf";
  static final String OPEN_SECTIONS_KEY = "config.open-sections";
  private static final Pattern ENV_NAME = Pattern.compile("[a-z][a-z0-9_-]*");

  private final Path confDir;

  private ConfigLoader(Path confDir) {
    this.confDir = confDir;
  }

  /** Reads {@code conf/} files from this directory. */
  public static ConfigLoader fromDirectory(Path confDir) {
    return new ConfigLoader(confDir.toAbsolutePath());
  }

  /** Reads {@code conf/} files from the classpath root. */
  public static ConfigLoader fromClasspath() {
    return new ConfigLoader(null);
  }

  /** The directory named by {@value #CONF_DIR_ENV} if set, else the classpath. */
  public static ConfigLoader fromEnvironment() {
    String dir = System.getenv(CONF_DIR_ENV);
    return dir == null || dir.isBlank() ? fromClasspath() : fromDirectory(Paths.get(dir));
  }

  public Config load(ConfigSources sources) {
    Config base = parseConfFile(BASE_FILE, "the base configuration");
    Config envLayer = ConfigFactory.empty();
    if (sources.env().isPresent()) {
      String env = sources.env().get();
      if (!ENV_NAME.matcher(env).matches()) {
        throw new InvalidConfigException(
            "--env: '" + env + "' is not an environment name (lower case letters, digits, - or _)");
      }
      envLayer = parseConfFile(env + ".conf", "--env " + env);
    }
    Config fileLayer = ConfigFactory.empty();
    if (sources.confFile().isPresent()) {
      fileLayer = parseFile(sources.confFile().get().toFile(), "--conf-file");
    }
    Config known = fileLayer.withFallback(envLayer).withFallback(base);
    Config overrides = overrides(sources.overrides(), known);
    try {
      return overrides.withFallback(known).resolve();
    } catch (ConfigException e) {
      throw new InvalidConfigException(e.getMessage());
    }
  }

  /**
   * Turns {@code --set key=value} pairs into a config layer. A value is a plain string (so {@code
   * gs://bucket/x} survives: HOCON would read {@code //} as a comment) unless it starts with {@code
   * [} or <code>{</code>, which is parsed as a HOCON list or object. A key that no layer defines is
   * an error (a typo would otherwise be ignored), except under an open section such as {@code
   * spark.conf}.
   */
  private static Config overrides(Map<String, String> pairs, Config known) {
    List<String> open =
        known.hasPath(OPEN_SECTIONS_KEY) ? known.getStringList(OPEN_SECTIONS_KEY) : List.of();
    List<String> problems = new ArrayList<>();
    Config layer = ConfigFactory.empty();
    for (Map.Entry<String, String> pair : pairs.entrySet()) {
      String key = pair.getKey();
      try {
        ConfigUtil.splitPath(key);
      } catch (ConfigException e) {
        problems.add("--set " + key + ": not a valid key path");
        continue;
      }
      if (!known.hasPathOrNull(key) && !isUnderOpenSection(key, open)) {
        problems.add("--set " + key + ": unknown key (not in " + BASE_FILE + " or any layer)");
        continue;
      }
      try {
        layer = layer.withValue(key, overrideValue(key, pair.getValue()));
      } catch (ConfigException e) {
        problems.add(
            EffectiveConfig.isSecret(key)
                ? "--set " + key + ": cannot parse its value (not shown: the key names a secret)"
                : EffectiveConfig.maskInside(
                    "--set "
                        + key
                        + ": cannot parse value '"
                        + pair.getValue()
                        + "': "
                        + e.getMessage()));
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return layer;
  }

  private static ConfigValue overrideValue(String key, String text) {
    String trimmed = text.trim();
    if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
      return ConfigFactory.parseString(
              "v = " + trimmed, ConfigParseOptions.defaults().setOriginDescription("--set " + key))
          .getValue("v");
    }
    return ConfigValueFactory.fromAnyRef(text, "--set " + key);
  }

  private static boolean isUnderOpenSection(String key, List<String> openSections) {
    for (String section : openSections) {
      if (key.startsWith(section + ".")) {
        return true;
      }
    }
    return false;
  }

  private Config parseConfFile(String name, String what) {
    if (confDir != null) {
      return parseFile(confDir.resolve(name).toFile(), what);
    }
    ConfigParseOptions options = ConfigParseOptions.defaults().setAllowMissing(false);
    try {
      return ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(), name, options);
    } catch (ConfigException.IO e) {
      throw new InvalidConfigException(what + ": no " + name + " on the classpath");
    } catch (ConfigException e) {
      throw new InvalidConfigException(e.getMessage());
    }
  }

  private static Config parseFile(File file, String what) {
    if (!Files.isRegularFile(file.toPath())) {
      throw new InvalidConfigException(what + ": no such file " + file);
    }
    try {
      return ConfigFactory.parseFile(file, ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw new InvalidConfigException(e.getMessage());
    }
  }
}
