package com.acme.warehouse.common.config;

import java.net.URI;
import java.nio.file.Paths;

/** Where raw extracts and the warehouse live ({@code paths.*}). */
public final class PathsConfig {
  private final String raw;
  private final String warehouse;

  public PathsConfig(String raw, String warehouse) {
    this.raw = raw;
    this.warehouse = warehouse;
  }

  static PathsConfig from(ConfigReader config) {
    return new PathsConfig(location(config, "raw"), location(config, "warehouse"));
  }

  /** Root of the raw extracts: {@code <raw>/<domain>/<source>/dt=.../}. */
  public String raw() {
    return raw;
  }

  /** Root of the Delta warehouse: {@code <warehouse>/<layer>/<domain>/<table>}. */
  public String warehouse() {
    return warehouse;
  }

  /**
   * A location is a URI with a scheme ({@code gs://bucket/dir}, {@code file:/dir}) or a local path;
   * a relative local path is made absolute, so every job of a run agrees on it.
   */
  private static String location(ConfigReader config, String key) {
    String text = config.nonEmptyString(key).trim();
    if (text.isEmpty()) {
      return text;
    }
    if (text.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      URI uri;
      try {
        uri = URI.create(text);
      } catch (IllegalArgumentException e) {
        config.problem(key, "'" + text + "' is not a valid URI: " + e.getMessage());
        return text;
      }
      if (("gs".equals(uri.getScheme()) || "s3a".equals(uri.getScheme()))
          && (uri.getAuthority() == null || uri.getAuthority().isEmpty())) {
        config.problem(
            key, "'" + text + "' has no bucket name (is the environment variable for it unset?)");
      }
      return stripTrailingSlash(text);
    }
    if (text.startsWith("file:")) {
      return stripTrailingSlash(text);
    }
    return Paths.get(text).toAbsolutePath().normalize().toString();
  }

  private static String stripTrailingSlash(String text) {
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
  }
}
