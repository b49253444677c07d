package com.acme.warehouse.jobs.bronze;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.contract.FieldSpec;
import com.acme.warehouse.common.job.TableId;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One raw source as configured under {@code bronze.sources.<domain>.<source>}: where its files are,
 * how they are written, and the contract they should follow.
 */
public final class BronzeSource implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /** How a source's files are written. */
  public enum Format {
    CSV,
    TBL,
    JSONL;

    static Format parse(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  private final String domain;
  private final String name;
  private final List<String> patterns;
  private final Format format;
  private final List<FieldSpec> fields;
  private final boolean failOnMissingRequired;
  private final boolean failOnUnknownField;
  private final boolean failOnUnclaimedFile;

  private BronzeSource(
      String domain,
      String name,
      List<String> patterns,
      Format format,
      List<FieldSpec> fields,
      boolean failOnMissingRequired,
      boolean failOnUnknownField,
      boolean failOnUnclaimedFile) {
    this.domain = domain;
    this.name = name;
    this.patterns = List.copyOf(patterns);
    this.format = format;
    this.fields = List.copyOf(fields);
    this.failOnMissingRequired = failOnMissingRequired;
    this.failOnUnknownField = failOnUnknownField;
    this.failOnUnclaimedFile = failOnUnclaimedFile;
  }

  /** Every configured source, sorted by domain and name. Problems go to the reader. */
  public static List<BronzeSource> all(ConfigReader bronze) {
    List<BronzeSource> sources = new ArrayList<>();
    if (!bronze.has("sources")) {
      return sources;
    }
    for (String domain : bronze.childNames("sources")) {
      for (String source : bronze.at("sources").childNames(domain)) {
        sources.add(read(bronze, domain, source));
      }
    }
    return sources;
  }

  /** The source behind one table id, read from the root config, or null if not configured. */
  public static BronzeSource find(ConfigReader root, String domain, String source) {
    ConfigReader bronze = root.at("bronze");
    return bronze.has("sources." + domain + "." + source) ? read(bronze, domain, source) : null;
  }

  private static BronzeSource read(ConfigReader bronze, String domain, String name) {
    ConfigReader c = bronze.at("sources").at(domain).at(name);
    if (!NAME.matcher(domain).matches()) {
      bronze.problem("sources." + domain, "a domain name must be lower case letters, digits and _");
    }
    if (!NAME.matcher(name).matches()) {
      c.problem("", "a source name must be lower case letters, digits and _");
    }
    List<String> patterns = c.stringList("patterns");
    if (c.has("patterns") && patterns.isEmpty()) {
      c.problem("patterns", "must name at least one file pattern");
    }
    for (String pattern : patterns) {
      if (pattern.startsWith("/") || pattern.contains("://") || pattern.contains("..")) {
        c.problem("patterns", "'" + pattern + "' must be relative to paths.raw");
      }
    }
    Format format = Format.CSV;
    String formatText = c.oneOf("format", Set.of("csv", "tbl", "jsonl"));
    if (Set.of("csv", "tbl", "jsonl").contains(formatText)) {
      format = Format.parse(formatText);
    }
    List<FieldSpec> fields = FieldSpec.readAll(c);
    String missing = policy(bronze, c, "on-missing-required");
    String unknown = policy(bronze, c, "on-unknown-field");
    String unclaimed = policy(bronze, c, "on-unclaimed-file");
    return new BronzeSource(
        domain,
        name,
        patterns,
        format,
        fields,
        "fail".equals(missing),
        "fail".equals(unknown),
        "fail".equals(unclaimed));
  }

  /** A source's own policy, or the default under {@code bronze.defaults}. */
  private static String policy(ConfigReader bronze, ConfigReader source, String key) {
    ConfigReader from = source.has(key) ? source : bronze.at("defaults");
    return from.oneOf(key, Set.of("warn", "fail"));
  }

  public String domain() {
    return domain;
  }

  public String name() {
    return name;
  }

  /** Globs relative to {@code paths.raw}, e.g. {@code mentoring/users/dt=*}{@code /*.csv}. */
  public List<String> patterns() {
    return patterns;
  }

  public Format format() {
    return format;
  }

  public List<FieldSpec> fields() {
    return fields;
  }

  public boolean failOnMissingRequired() {
    return failOnMissingRequired;
  }

  public boolean failOnUnknownField() {
    return failOnUnknownField;
  }

  /**
   * Whether a file beside the source's deliveries that no source's pattern matches stops the run.
   */
  public boolean failOnUnclaimedFile() {
    return failOnUnclaimedFile;
  }

  public String jobName() {
    return domain + "-bronze-" + name.replace('_', '-');
  }

  public TableId raw() {
    return TableId.of(TableId.RAW, domain, name);
  }

  public TableId table() {
    return TableId.of("bronze", domain, name);
  }
}
