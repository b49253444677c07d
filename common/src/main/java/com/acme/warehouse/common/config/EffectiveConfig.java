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
 * with anything named like a secret masked, and a password or token inside any other value (a URL's
 * {@code user:password@}, a {@code password=} query parameter) masked too.
 */
public final class EffectiveConfig {
  public static final String MASK = "********";

  /** Matched against each segment of a key path, so {@code bigquery.credentials-file} is masked. */
  private static final Pattern SECRET_NAME =
      Pattern.compile(
          "(?i).*(password|passwd|secret|token|credential|private[-_]?key|api[-_]?key|access[-_]?key).*");

  /** Matched against the whole key path: {@code fs.s3a.access.key}, {@code ...account.key.x}. */
  private static final Pattern SECRET_PATH =
      Pattern.compile("(?i).*\\b(access|secret|private|api|account|encryption)[-_.]?key\\b.*");

  /** The password of a URL's user information: {@code scheme://user:password@host}. */
  private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/@\\s:]*):[^/@\\s]+@");

  /** A secret passed as a query or connection-string parameter. */
  private static final Pattern PARAMETER_SECRET =
      Pattern.compile(
          "(?i)((?:^|[?&;\\s])(?:password|passwd|pwd|secret|token|api[-_]?key|sig)=)[^&;\\s]+");

  private EffectiveConfig() {}

  public static List<String> lines(Config config) {
    Map<String, String> sorted = new TreeMap<>();
    for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
      String key = entry.getKey();
      sorted.put(key, shown(key, entry.getValue().render(ConfigRenderOptions.concise())));
    }
    List<String> lines = new ArrayList<>();
    sorted.forEach((key, value) -> lines.add(key + " = " + value));
    return lines;
  }

  /** What may be shown of a key's value in a log or a message. */
  public static String shown(String keyPath, String value) {
    return isSecret(keyPath) ? MASK : maskInside(value);
  }

  /** The text with any URL password or secret parameter in it masked. */
  public static String maskInside(String text) {
    String masked = URL_PASSWORD.matcher(text).replaceAll("$1:" + MASK + "@");
    return PARAMETER_SECRET.matcher(masked).replaceAll("$1" + MASK);
  }

  public static boolean isSecret(String keyPath) {
    if (SECRET_PATH.matcher(keyPath).matches()) {
      return true;
    }
    // A problem's path may point into a list (checks[0].source), which is not a config path.
    for (String segment : ConfigUtil.splitPath(keyPath.replaceAll("\\[\\d+\\]", ""))) {
      if (SECRET_NAME.matcher(segment).matches()) {
        return true;
      }
    }
    return false;
  }
}
