package com.acme.warehouse.common.quality;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.contract.FieldSpec;
import com.acme.warehouse.common.job.TableId;
import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The checks a source's contract implies on the silver table typed from it, so that a required
 * field or a list of accepted values is stated once, in the contract: one {@code not_null} check
 * over the required fields, and one {@code accepted_values} check per field that lists values.
 * Declared among a table's checks as {@code {type = contract, source =
 * "bronze.<domain>.<source>"}}, with {@code renamed = {<field> = <column>}} for a field the table
 * names otherwise and an optional {@code severity}.
 */
final class ContractChecks {
  static final String TYPE = "contract";

  private ContractChecks() {}

  static List<CheckSpec> read(ConfigReader quality, Config entry, String path) {
    ConfigReader check = new ConfigReader(entry);
    String source = check.string("source");
    CheckSpec.Severity severity = CheckSpec.severity(quality, check, path);
    Map<String, String> renamed = check.has("renamed") ? check.flatStrings("renamed") : Map.of();
    for (String problem : check.problems()) {
      quality.problem(path, problem);
    }
    TableId id = null;
    try {
      id = TableId.parse(source);
    } catch (IllegalArgumentException notAnId) {
      // reported below, with what a contract reference looks like
    }
    ConfigReader sources = quality.top().at("bronze").at("sources");
    String contract = id == null ? "" : id.domain().orElse("") + "." + id.name();
    if (id == null || !"bronze".equals(id.layer()) || !sources.has(contract)) {
      quality.problem(
          path + ".source",
          "'"
              + source
              + "' names no source contract (bronze.<domain>.<source> under bronze.sources)");
      return List.of();
    }
    List<FieldSpec> fields = FieldSpec.readAll(sources.at(id.domain().get()).at(id.name()));
    for (String field : renamed.keySet()) {
      if (fields.stream().noneMatch(f -> f.name().equals(field))) {
        quality.problem(path + ".renamed." + field, "is not a field of " + source);
      }
    }
    return implied(fields, renamed, severity);
  }

  /** The checks the fields imply, each column under the name the table gives it. */
  static List<CheckSpec> implied(
      List<FieldSpec> fields, Map<String, String> renamed, CheckSpec.Severity severity) {
    List<CheckSpec> checks = new ArrayList<>();
    List<String> required = new ArrayList<>();
    for (FieldSpec field : fields) {
      if (field.required()) {
        required.add(renamed.getOrDefault(field.name(), field.name()));
      }
    }
    if (!required.isEmpty()) {
      checks.add(
          new CheckSpec.Builder()
              .type(CheckSpec.Type.NOT_NULL)
              .severity(severity)
              .columns(required.toArray(new String[0]))
              .build());
    }
    for (FieldSpec field : fields) {
      if (!field.values().isEmpty()) {
        checks.add(
            new CheckSpec.Builder()
                .type(CheckSpec.Type.ACCEPTED_VALUES)
                .severity(severity)
                .columns(renamed.getOrDefault(field.name(), field.name()))
                .values(field.values().toArray(new String[0]))
                .build());
      }
    }
    return checks;
  }
}
