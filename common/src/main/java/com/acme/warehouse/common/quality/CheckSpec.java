package com.acme.warehouse.common.quality;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.quality.checks.AcceptedValuesCheck;
import com.acme.warehouse.common.quality.checks.FreshnessCheck;
import com.acme.warehouse.common.quality.checks.NotNullCheck;
import com.acme.warehouse.common.quality.checks.RangeCheck;
import com.acme.warehouse.common.quality.checks.ReconciliationCheck;
import com.acme.warehouse.common.quality.checks.RelationshipsCheck;
import com.acme.warehouse.common.quality.checks.RowCountCheck;
import com.acme.warehouse.common.quality.checks.ScdCheck;
import com.acme.warehouse.common.quality.checks.SqlCheck;
import com.acme.warehouse.common.quality.checks.TableCheck;
import com.acme.warehouse.common.quality.checks.UniqueCheck;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One declared check of one table: its type, what it looks at, and how bad a failure is. Read from
 * {@code quality.tables."<table id>".checks[i]}.
 */
public final class CheckSpec {
  /** The kinds of check a table can declare. */
  public enum Type {
    NOT_NULL(NotNullCheck::new, CheckSpec::readKeyColumns),
    UNIQUE(UniqueCheck::new, CheckSpec::readKeyColumns),
    ACCEPTED_VALUES(AcceptedValuesCheck::new, CheckSpec::readAcceptedValues),
    RELATIONSHIPS(RelationshipsCheck::new, CheckSpec::readRelationship),
    RANGE(RangeCheck::new, CheckSpec::readRange),
    ROW_COUNT(RowCountCheck::new, CheckSpec::readRowCount),
    FRESHNESS(FreshnessCheck::new, CheckSpec::readFreshness),
    SCD(ScdCheck::new, CheckSpec::readKeyColumns),
    RECONCILIATION(ReconciliationCheck::new, CheckSpec::readReconciliation),
    SQL(SqlCheck::new, CheckSpec::readSql);

    private final Function<CheckSpec, TableCheck> check;
    private final Consumer<Entry> reader;

    Type(Function<CheckSpec, TableCheck> check, Consumer<Entry> reader) {
      this.check = check;
      this.reader = reader;
    }

    /** The name a check of this type has in configuration and in results. */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** What answers a declared check of this type (see the classes of {@code quality.checks}). */
    public TableCheck check(CheckSpec spec) {
      return check.apply(spec);
    }

    static Optional<Type> parse(String text) {
      for (Type type : values()) {
        if (type.id().equals(text)) {
          return Optional.of(type);
        }
      }
      return Optional.empty();
    }
  }

  /** What a failure does: {@code error} stops the job (exit 3), {@code warn} is recorded. */
  public enum Severity {
    ERROR,
    WARN
  }

  /** Every type a table may declare: the check types, and the checks a contract implies. */
  private static final String KNOWN_TYPES =
      Arrays.stream(Type.values()).map(Type::id).collect(Collectors.joining(", "))
          + ", "
          + ContractChecks.TYPE;

  private final String name;
  private final Type type;
  private final Severity severity;
  private final List<String> columns;
  private final List<String> values;
  private final Double min;
  private final Double max;
  private final String toTable;
  private final String toColumn;
  private final Duration maxAge;
  private final String where;
  private final String query;
  private final List<String> outTables;
  private final boolean gapsAllowed;

  private CheckSpec(Builder b) {
    this.name = b.name;
    this.type = b.type;
    this.severity = b.severity;
    this.columns = List.copyOf(b.columns);
    this.values = List.copyOf(b.values);
    this.min = b.min;
    this.max = b.max;
    this.toTable = b.toTable;
    this.toColumn = b.toColumn;
    this.maxAge = b.maxAge;
    this.where = b.where;
    this.query = b.query;
    this.outTables = List.copyOf(b.outTables);
    this.gapsAllowed = b.gapsAllowed;
  }

  /** Reads one check; every problem goes to the reader with its full path. */
  static CheckSpec read(ConfigReader c, Config entry, String path) {
    ConfigReader check = new ConfigReader(entry);
    Builder b = new Builder();
    String typeText = check.string("type");
    Optional<Type> type = Type.parse(typeText);
    if (type.isEmpty()) {
      c.problem(path + ".type", "'" + typeText + "' is not one of " + KNOWN_TYPES);
      return null;
    }
    b.type = type.get();
    b.severity = severity(c, check, path);
    if (check.has("columns")) {
      b.columns = check.identifierList("columns");
    } else if (check.has("column")) {
      b.columns = List.of(check.identifier("column"));
    }
    b.where = check.optionalString("where").orElse(null);
    b.type.reader.accept(new Entry(c, check, path, b));
    for (String problem : check.problems()) {
      c.problem(path, problem);
    }
    b.name = check.optionalString("name").orElse(defaultName(b));
    return b.build();
  }

  /** A check's {@code severity}: {@code error} unless it says {@code warn}. */
  static Severity severity(ConfigReader c, ConfigReader check, String path) {
    String severity = check.has("severity") ? check.string("severity") : "error";
    if (!Set.of("error", "warn").contains(severity)) {
      c.problem(path + ".severity", "'" + severity + "' is not one of [error, warn]");
    }
    return "warn".equals(severity) ? Severity.WARN : Severity.ERROR;
  }

  /** One check entry being read: its own keys, where problems go, and what it builds. */
  private static final class Entry {
    final ConfigReader problems;
    final ConfigReader check;
    final String path;
    final Builder b;

    Entry(ConfigReader problems, ConfigReader check, String path, Builder b) {
      this.problems = problems;
      this.check = check;
      this.path = path;
      this.b = b;
    }

    void require(boolean missing, String key, String message) {
      if (missing) {
        problems.problem(path + "." + key, message);
      }
    }

    Double number(String key, double min) {
      return check.has(key) ? check.doubleInRange(key, min, Double.MAX_VALUE) : null;
    }
  }

  // What each type reads beyond type, severity, columns, where and name.

  private static void readKeyColumns(Entry e) {
    e.require(e.b.columns.isEmpty(), "columns", "must name at least one column");
    e.b.gapsAllowed = e.check.has("gaps-allowed") && e.check.bool("gaps-allowed");
  }

  private static void readAcceptedValues(Entry e) {
    e.require(e.b.columns.size() != 1, "column", "must name one column");
    e.b.values = e.check.has("values") ? e.check.stringList("values") : List.of();
    e.require(e.b.values.isEmpty(), "values", "must list the accepted values");
  }

  private static void readRelationship(Entry e) {
    e.require(e.b.columns.size() != 1, "column", "must name one column");
    e.b.toTable = e.check.optionalString("to").orElse(null);
    e.b.toColumn =
        e.check.has("to-column")
            ? e.check.identifier("to-column")
            : e.b.columns.isEmpty() ? null : e.b.columns.get(0);
    e.require(e.b.toTable == null, "to", "must name the table the values must exist in");
  }

  private static void readRange(Entry e) {
    e.require(e.b.columns.size() != 1, "column", "must name one column");
    e.b.min = e.number("min", -Double.MAX_VALUE);
    e.b.max = e.number("max", -Double.MAX_VALUE);
    e.require(e.b.min == null && e.b.max == null, "min", "a range needs min, max or both");
  }

  private static void readRowCount(Entry e) {
    e.b.min = e.number("min", 0);
    e.b.max = e.number("max", 0);
    e.require(e.b.min == null && e.b.max == null, "min", "a row count needs min, max or both");
  }

  private static void readFreshness(Entry e) {
    e.require(e.b.columns.size() != 1, "column", "must name one timestamp column");
    e.b.maxAge = e.check.has("max-age") ? e.check.duration("max-age") : null;
    e.require(
        e.b.maxAge == null, "max-age", "must say how old the newest row may be (e.g. '2 days')");
  }

  private static void readReconciliation(Entry e) {
    e.b.outTables = e.check.has("out") ? e.check.stringList("out") : List.of();
  }

  private static void readSql(Entry e) {
    e.b.query = e.check.optionalString("query").orElse(null);
    e.require(
        e.b.query == null,
        "query",
        "must be a query returning the offending rows, reading {table}");
  }

  private static String defaultName(Builder b) {
    String subject = b.columns.isEmpty() ? "" : "(" + String.join(",", b.columns) + ")";
    return b.type.id() + subject;
  }

  public String name() {
    return name;
  }

  public Type type() {
    return type;
  }

  public Severity severity() {
    return severity;
  }

  public List<String> columns() {
    return columns;
  }

  public List<String> values() {
    return values;
  }

  public Optional<Double> min() {
    return Optional.ofNullable(min);
  }

  public Optional<Double> max() {
    return Optional.ofNullable(max);
  }

  public String toTable() {
    return toTable;
  }

  public String toColumn() {
    return toColumn;
  }

  public Duration maxAge() {
    return maxAge;
  }

  /** A SQL condition limiting the rows checked, e.g. {@code is_current}. */
  public Optional<String> where() {
    return Optional.ofNullable(where);
  }

  public String query() {
    return query;
  }

  /** For a table reconciliation: the tables whose rows add up to this one's. */
  public List<String> outTables() {
    return outTables;
  }

  public boolean gapsAllowed() {
    return gapsAllowed;
  }

  /** Builds a {@link CheckSpec} in code (tests, jobs that add their own checks). */
  public static final class Builder {
    private String name;
    private Type type;
    private Severity severity = Severity.ERROR;
    private List<String> columns = List.of();
    private List<String> values = List.of();
    private Double min;
    private Double max;
    private String toTable;
    private String toColumn;
    private Duration maxAge;
    private String where;
    private String query;
    private List<String> outTables = List.of();
    private boolean gapsAllowed;

    public Builder type(Type type) {
      this.type = type;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder severity(Severity severity) {
      this.severity = severity;
      return this;
    }

    public Builder columns(String... columns) {
      this.columns = List.of(columns);
      return this;
    }

    public Builder values(String... values) {
      this.values = List.of(values);
      return this;
    }

    public Builder min(double min) {
      this.min = min;
      return this;
    }

    public Builder max(double max) {
      this.max = max;
      return this;
    }

    public Builder to(String table, String column) {
      this.toTable = table;
      this.toColumn = column;
      return this;
    }

    public Builder maxAge(Duration maxAge) {
      this.maxAge = maxAge;
      return this;
    }

    public Builder where(String where) {
      this.where = where;
      return this;
    }

    public Builder query(String query) {
      this.query = query;
      return this;
    }

    public Builder out(String... tables) {
      this.outTables = List.of(tables);
      return this;
    }

    public Builder gapsAllowed(boolean gapsAllowed) {
      this.gapsAllowed = gapsAllowed;
      return this;
    }

    public CheckSpec build() {
      if (name == null) {
        name = defaultName(this);
      }
      return new CheckSpec(this);
    }
  }
}
