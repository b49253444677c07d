package com.acme.warehouse.common.contract;

import com.acme.warehouse.common.config.ConfigReader;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One field of a source's contract: its name, the type silver will give it, whether every record
 * must have it, how a text value is normalised, and (optionally) the values it may take after that.
 * Bronze checks that required fields arrive, silver types and normalises by it, and the quality
 * checks a contract implies (not-null, accepted values) are derived from it.
 */
public final class FieldSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Types a contract may name; silver casts to them. */
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  private static final Set<String> CASES = Set.of("lower", "upper", "title");

  private static final Pattern TYPE =
      Pattern.compile(
          "string|bigint|int|double|boolean|date|timestamp|json|decimal\\(\\d+,\\d+\\)");

  private final String name;
  private final String type;
  private final boolean required;
  private final List<String> values;
  private final LetterCase letterCase;

  /** How silver normalises a text value's letters (after trimming it). */
  public enum LetterCase {
    /** As it arrived. */
    KEEP,
    LOWER,
    UPPER,
    /** First letter upper-case, the rest lower-case: {@code gold } becomes {@code Gold}. */
    TITLE
  }

  public FieldSpec(
      String name, String type, boolean required, List<String> values, LetterCase letterCase) {
    this.name = name;
    this.type = type;
    this.required = required;
    this.values = List.copyOf(values);
    this.letterCase = letterCase;
  }

  /** The {@code fields} list of a source's section; every problem goes to the reader. */
  public static List<FieldSpec> readAll(ConfigReader source) {
    List<FieldSpec> fields = new ArrayList<>();
    if (!source.has("fields")) {
      source.problem("fields", "missing");
      return fields;
    }
    List<? extends Config> entries;
    try {
      entries = source.root().getConfigList(source.path("fields"));
    } catch (ConfigException e) {
      source.problem(
          "fields", "must be a list of {name, type, required, case, values}: " + e.getMessage());
      return fields;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      FieldSpec field = read(source, "fields[" + i + "]", new ConfigReader(entries.get(i)));
      if (NAME.matcher(field.name).matches() && !names.add(field.name)) {
        source.problem("fields[" + i + "].name", "'" + field.name + "' appears twice");
      }
      fields.add(field);
    }
    if (entries.isEmpty()) {
      source.problem("fields", "must name at least one field");
    }
    return fields;
  }

  private static FieldSpec read(ConfigReader source, String where, ConfigReader field) {
    String name = field.identifier("name");
    String type = field.has("type") ? field.string("type") : "string";
    boolean required = field.has("required") && field.bool("required");
    List<String> values = field.has("values") ? field.stringList("values") : List.of();
    LetterCase letterCase = LetterCase.KEEP;
    if (field.has("case") && CASES.contains(field.oneOf("case", CASES))) {
      letterCase = LetterCase.valueOf(field.string("case").toUpperCase(Locale.ROOT));
    }
    for (String problem : field.problems()) {
      source.problem(where, problem);
    }
    if (!NAME.matcher(name).matches()) {
      source.problem(where + ".name", "'" + name + "' must be lower case letters, digits and _");
    }
    if (!TYPE.matcher(type).matches()) {
      source.problem(
          where + ".type",
          "'"
              + type
              + "' is not one of string, bigint, int, double, boolean, date, timestamp, json, decimal(p,s)");
    }
    if (letterCase != LetterCase.KEEP && !"string".equals(type)) {
      source.problem(where + ".case", "applies to string fields only, not " + type);
    }
    return new FieldSpec(name, type, required, values, letterCase);
  }

  public String name() {
    return name;
  }

  public String type() {
    return type;
  }

  public boolean required() {
    return required;
  }

  public LetterCase letterCase() {
    return letterCase;
  }

  /** Accepted values (after normalisation); empty when any value is accepted. */
  public List<String> values() {
    return values;
  }
}
