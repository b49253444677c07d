package com.acme.warehouse.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Typed access to a resolved config that collects problems instead of failing on the first. Every
 * getter returns a usable placeholder when the value is bad, so validation goes on and reports
 * everything at once; {@link #throwIfInvalid()} then fails with every problem, each naming the
 * key's full path and, where known, the file and line it came from.
 *
 * <p>{@link #at(String)} gives a reader for a section that still reports full paths, so a job can
 * validate its own section without knowing where it is mounted.
 */
public final class ConfigReader {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

  private final Config root;
  private final String prefix;
  private final List<String> problems;

  public ConfigReader(Config root) {
    this(root, "", new ArrayList<>());
  }

  private ConfigReader(Config root, String prefix, List<String> problems) {
    this.root = root;
    this.prefix = prefix;
    this.problems = problems;
  }

  /** A reader for a sub-section; problems go to the same list, with full paths. */
  public ConfigReader at(String section) {
    return new ConfigReader(root, path(section) + ".", problems);
  }

  /** A reader for the whole config (whatever section this one reads); problems are shared. */
  public ConfigReader top() {
    return new ConfigReader(root, "", problems);
  }

  /** The full path of a key relative to this reader. */
  public String path(String key) {
    return prefix + key;
  }

  public boolean has(String key) {
    return root.hasPath(path(key));
  }

  /** The resolved config this reader reads from. */
  public Config root() {
    return root;
  }

  /**
   * Records a problem that no getter can see, such as a rule between two keys. Two jobs reading the
   * same key report its problem once.
   */
  public void problem(String key, String message) {
    String full = path(key);
    // A problem echoes the value it found; a secret's value is never echoed.
    String shown =
        EffectiveConfig.isSecret(full) && !message.equals("missing")
            ? "invalid value (not shown: the key names a secret)"
            : EffectiveConfig.maskInside(message);
    String problem = full + ": " + shown;
    if (!problems.contains(problem)) {
      problems.add(problem);
    }
  }

  public String string(String key) {
    ConfigValue value = value(key);
    if (value == null) {
      return "";
    }
    if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
      wrongType(key, value, "a string");
      return "";
    }
    return String.valueOf(value.unwrapped());
  }

  /** A string that must not be blank. */
  public String nonEmptyString(String key) {
    if (!has(key)) {
      string(key);
      return "";
    }
    String text = string(key);
    if (text.isBlank()) {
      problem(key, "must not be empty" + from(root.getValue(path(key))));
    }
    return text;
  }

  /** A string that may be missing, null or blank. */
  public Optional<String> optionalString(String key) {
    if (!root.hasPath(path(key))) {
      return Optional.empty();
    }
    String text = string(key);
    return text.isBlank() ? Optional.empty() : Optional.of(text);
  }

  /**
   * An instant: ISO-8601 with its offset ({@code 2024-02-01T06:30:00Z}), or a plain date, which is
   * that day's midnight in UTC ({@code 2024-02-01}) — never the JVM's zone. Empty when unset or
   * blank; anything else is a problem naming the key.
   */
  public Optional<java.time.Instant> optionalInstant(String key) {
    Optional<String> text = optionalString(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(java.time.Instant.parse(text.get()));
    } catch (java.time.format.DateTimeParseException notAnInstant) {
      try {
        return Optional.of(
            java.time.LocalDate.parse(text.get())
                .atStartOfDay(java.time.ZoneOffset.UTC)
                .toInstant());
      } catch (java.time.format.DateTimeParseException notADate) {
        problem(
            key,
            "'"
                + text.get()
                + "' is not an instant (2024-02-01T00:00:00Z) or a date (2024-02-01, midnight UTC)"
                + from(value(key)));
        return Optional.empty();
      }
    }
  }

  /**
   * A column or field name that goes into SQL and column expressions: letters, digits and '_', not
   * starting with a digit. Anything else (a space, a dot, a quote, a backtick) is a problem naming
   * the key, never interpolated.
   */
  public String identifier(String key) {
    String text = string(key);
    if (has(key) && !IDENTIFIER.matcher(text).matches()) {
      problem(key, notAnIdentifier(text) + from(root.getValue(path(key))));
    }
    return text;
  }

  /** A list of {@link #identifier}s. */
  public List<String> identifierList(String key) {
    List<String> names = stringList(key);
    for (String name : names) {
      if (!IDENTIFIER.matcher(name).matches()) {
        problem(key, notAnIdentifier(name) + from(root.getValue(path(key))));
      }
    }
    return names;
  }

  private static String notAnIdentifier(String text) {
    return "'"
        + text
        + "' is not a name: letters, digits and '_' only, not starting with a digit, at most 128";
  }

  public String oneOf(String key, Set<String> accepted) {
    String text = string(key);
    if (has(key) && !accepted.contains(text)) {
      problem(
          key,
          "'"
              + text
              + "' is not one of "
              + new TreeSet<>(accepted)
              + from(root.getValue(path(key))));
    }
    return text;
  }

  public long longInRange(String key, long min, long max) {
    ConfigValue value = value(key);
    if (value == null) {
      return min;
    }
    try {
      long number = root.getLong(path(key));
      if (number < min || number > max) {
        problem(key, number + " is outside [" + min + ", " + max + "]" + from(value));
        return min;
      }
      return number;
    } catch (ConfigException.WrongType e) {
      wrongType(key, value, "a whole number");
      return min;
    }
  }

  public int intInRange(String key, int min, int max) {
    return (int) longInRange(key, min, max);
  }

  public double doubleInRange(String key, double min, double max) {
    ConfigValue value = value(key);
    if (value == null) {
      return min;
    }
    try {
      double number = root.getDouble(path(key));
      if (Double.isNaN(number) || number < min || number > max) {
        problem(key, number + " is outside [" + min + ", " + max + "]" + from(value));
        return min;
      }
      return number;
    } catch (ConfigException.WrongType e) {
      wrongType(key, value, "a number");
      return min;
    }
  }

  public boolean bool(String key) {
    ConfigValue value = value(key);
    if (value == null) {
      return false;
    }
    try {
      return root.getBoolean(path(key));
    } catch (ConfigException.WrongType e) {
      wrongType(key, value, "true or false");
      return false;
    }
  }

  /** A duration such as {@code 30 days} or {@code 90m}. */
  public Duration duration(String key) {
    ConfigValue value = value(key);
    if (value == null) {
      return Duration.ZERO;
    }
    try {
      return root.getDuration(path(key));
    } catch (ConfigException.BadValue | ConfigException.WrongType e) {
      wrongType(key, value, "a duration (e.g. '30 days', '90m')");
      return Duration.ZERO;
    }
  }

  public List<String> stringList(String key) {
    ConfigValue value = value(key);
    if (value == null) {
      return List.of();
    }
    try {
      return Collections.unmodifiableList(new ArrayList<>(root.getStringList(path(key))));
    } catch (ConfigException.WrongType e) {
      wrongType(key, value, "a list of strings");
      return List.of();
    }
  }

  /** The names of the children of an object section, sorted (e.g. the sources of a domain). */
  public List<String> childNames(String key) {
    ConfigObject object = object(key);
    return object == null ? List.of() : new ArrayList<>(new TreeSet<>(object.keySet()));
  }

  /**
   * An object section flattened into dotted keys with scalar values, e.g. {@code spark.conf} into
   * Spark settings. Keys come back unquoted and sorted.
   */
  public Map<String, String> flatStrings(String key) {
    ConfigObject object = object(key);
    Map<String, String> flat = new TreeMap<>();
    if (object == null) {
      return flat;
    }
    for (Map.Entry<String, ConfigValue> entry : object.toConfig().entrySet()) {
      ConfigValue value = entry.getValue();
      String flatKey = String.join(".", ConfigUtil.splitPath(entry.getKey()));
      if (value.valueType() == ConfigValueType.LIST) {
        problem(key + "." + entry.getKey(), "must be a single value, not a list" + from(value));
        continue;
      }
      flat.put(flatKey, String.valueOf(value.unwrapped()));
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(flat));
  }

  /** Fails with every problem recorded so far, if any. */
  public void throwIfInvalid() {
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
  }

  public List<String> problems() {
    return Collections.unmodifiableList(problems);
  }

  private ConfigObject object(String key) {
    ConfigValue value = value(key);
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      wrongType(key, value, "an object");
      return null;
    }
    return (ConfigObject) value;
  }

  /** The value at a key, or null (with a problem recorded) when missing or null. */
  private ConfigValue value(String key) {
    String full = path(key);
    try {
      if (!root.hasPathOrNull(full)) {
        problem(key, "missing");
        return null;
      }
      if (root.getIsNull(full)) {
        problem(key, "must not be null");
        return null;
      }
      return root.getValue(full);
    } catch (ConfigException e) {
      problem(key, e.getMessage());
      return null;
    }
  }

  private void wrongType(String key, ConfigValue value, String expected) {
    problem(key, "expected " + expected + ", got " + value.render() + from(value));
  }

  private static String from(ConfigValue value) {
    return value.origin() == null ? "" : " (from " + value.origin().description() + ")";
  }
}
