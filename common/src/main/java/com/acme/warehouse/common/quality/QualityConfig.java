package com.acme.warehouse.common.quality;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.job.TableId;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The validated {@code quality} section: the checks each table declares, sample size, and the
 * anomaly rule with the metrics it watches.
 */
public final class QualityConfig {
  private final Map<TableId, List<CheckSpec>> checks;
  private final int sampleSize;
  private final AnomalyRule anomalyRule;
  private final boolean watchRowCounts;
  private final List<Kpi> kpis;

  private QualityConfig(
      Map<TableId, List<CheckSpec>> checks,
      int sampleSize,
      AnomalyRule anomalyRule,
      boolean watchRowCounts,
      List<Kpi> kpis) {
    this.checks = Collections.unmodifiableMap(checks);
    this.sampleSize = sampleSize;
    this.anomalyRule = anomalyRule;
    this.watchRowCounts = watchRowCounts;
    this.kpis = List.copyOf(kpis);
  }

  /** No checks, no anomaly watching: what tests of other things use. */
  public static QualityConfig none() {
    return new QualityConfig(Map.of(), 5, new AnomalyRule(10, 5, 3.5, 0.01), false, List.of());
  }

  /** A gold KPI watched for anomalies: an aggregate of one column of one table. */
  public static final class Kpi {
    final TableId table;
    final String column;
    final String aggregate;

    Kpi(TableId table, String column, String aggregate) {
      this.table = table;
      this.column = column;
      this.aggregate = aggregate;
    }

    public String name() {
      return "kpi(" + aggregate + "(" + column + "))";
    }
  }

  public static QualityConfig from(ConfigReader quality) {
    int sampleSize = quality.intInRange("sample-size", 1, 100);
    ConfigReader anomalies = quality.at("anomalies");
    AnomalyRule rule =
        new AnomalyRule(
            anomalies.intInRange("window", 3, 1000),
            anomalies.intInRange("min-history", 2, 1000),
            anomalies.doubleInRange("k", 0.5, 100),
            anomalies.doubleInRange("min-relative-spread", 0, 1));
    boolean rowCounts = anomalies.bool("row-counts");
    List<Kpi> kpis = kpis(quality, anomalies);
    Map<TableId, List<CheckSpec>> checks = tableChecks(quality);
    return new QualityConfig(checks, sampleSize, rule, rowCounts, kpis);
  }

  /** {@code quality.anomalies.kpis}: the table figures watched for anomalies besides row counts. */
  private static List<Kpi> kpis(ConfigReader quality, ConfigReader anomalies) {
    List<Kpi> kpis = new ArrayList<>();
    if (anomalies.has("kpis")) {
      try {
        List<? extends Config> entries = anomalies.root().getConfigList(anomalies.path("kpis"));
        for (int i = 0; i < entries.size(); i++) {
          ConfigReader kpi = new ConfigReader(entries.get(i));
          TableId table = tableId(quality, "anomalies.kpis[" + i + "].table", kpi.string("table"));
          String aggregate = kpi.has("aggregate") ? kpi.string("aggregate") : "sum";
          if (!Set.of("sum", "avg", "count", "max", "min").contains(aggregate)) {
            anomalies.problem(
                "kpis[" + i + "].aggregate",
                "'" + aggregate + "' is not one of sum, avg, count, max, min");
          }
          for (String problem : kpi.problems()) {
            anomalies.problem("kpis[" + i + "]", problem);
          }
          if (table != null) {
            kpis.add(new Kpi(table, kpi.identifier("column"), aggregate));
          }
        }
      } catch (ConfigException e) {
        anomalies.problem(
            "kpis", "must be a list of {table, column, aggregate}: " + e.getMessage());
      }
    }
    return kpis;
  }

  /** {@code quality.tables}: each table's checks, a contract entry expanded into its checks. */
  private static Map<TableId, List<CheckSpec>> tableChecks(ConfigReader quality) {
    Map<TableId, List<CheckSpec>> checks = new LinkedHashMap<>();
    if (quality.has("tables")) {
      Config tables = quality.root().getConfig(quality.path("tables"));
      for (String name : tables.root().keySet()) {
        String base = "tables.\"" + name + "\"";
        TableId table = tableId(quality, base, name);
        List<CheckSpec> specs = new ArrayList<>();
        try {
          List<? extends Config> entries =
              tables.getConfig("\"" + name + "\"").getConfigList("checks");
          for (int i = 0; i < entries.size(); i++) {
            Config entry = entries.get(i);
            String path = base + ".checks[" + i + "]";
            if (entry.hasPath("type")
                && ContractChecks.TYPE.equals(String.valueOf(entry.getValue("type").unwrapped()))) {
              specs.addAll(ContractChecks.read(quality, entry, path));
              continue;
            }
            CheckSpec spec = CheckSpec.read(quality, entry, path);
            if (spec != null) {
              specs.add(spec);
            }
          }
        } catch (ConfigException e) {
          quality.problem(base + ".checks", "must be a list of checks: " + e.getMessage());
        }
        if (table != null) {
          checks.put(table, specs);
        }
      }
    }
    return checks;
  }

  private static TableId tableId(ConfigReader quality, String path, String text) {
    try {
      return TableId.parse(text);
    } catch (IllegalArgumentException e) {
      quality.problem(path, e.getMessage());
      return null;
    }
  }

  public List<CheckSpec> checksOf(TableId table) {
    return checks.getOrDefault(table, List.of());
  }

  public Map<TableId, List<CheckSpec>> checks() {
    return checks;
  }

  public int sampleSize() {
    return sampleSize;
  }

  public AnomalyRule anomalyRule() {
    return anomalyRule;
  }

  public boolean watchRowCounts() {
    return watchRowCounts;
  }

  public List<Kpi> kpisOf(TableId table) {
    List<Kpi> of = new ArrayList<>();
    for (Kpi kpi : kpis) {
      if (kpi.table.equals(table)) {
        of.add(kpi);
      }
    }
    return of;
  }
}
