package com.acme.warehouse.jobs.mentoring;

import com.acme.warehouse.common.config.ConfigReader;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The validated {@code mentoring} section. */
public final class MentoringSettings {
  public final int defaultSessionMinutes;
  public final Duration noShowAfter;
  public final int rebookWindowDays;

  /** Group name to the tiers it holds, in config order. */
  public final Map<String, List<String>> tierGroups;

  public final double confidence;

  private MentoringSettings(ConfigReader c) {
    defaultSessionMinutes = c.intInRange("default-session-minutes", 1, 24 * 60);
    noShowAfter = c.duration("no-show-after");
    ConfigReader report = c.at("report");
    rebookWindowDays = report.intInRange("rebook-window-days", 1, 365);
    confidence = report.doubleInRange("confidence", 0.5, 0.999);
    tierGroups = new LinkedHashMap<>();
    try {
      List<? extends Config> groups = report.root().getConfigList(report.path("tier-groups"));
      for (int i = 0; i < groups.size(); i++) {
        ConfigReader group = new ConfigReader(groups.get(i));
        String name = group.nonEmptyString("name");
        List<String> tiers = group.stringList("tiers");
        for (String problem : group.problems()) {
          report.problem("tier-groups[" + i + "]", problem);
        }
        if (tierGroups.containsKey(name)) {
          report.problem("tier-groups[" + i + "].name", "'" + name + "' appears twice");
        }
        tierGroups.put(name, new ArrayList<>(tiers));
      }
    } catch (ConfigException e) {
      report.problem("tier-groups", "must be a list of {name, tiers}: " + e.getMessage());
    }
    if (tierGroups.size() < 2) {
      report.problem("tier-groups", "needs at least two groups to compare");
    }
  }

  public static MentoringSettings from(ConfigReader config) {
    return new MentoringSettings(config.at("mentoring"));
  }
}
