package com.acme.warehouse.common.cli;

import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobRegistry;
import com.acme.warehouse.common.job.TableId;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code --select} and {@code --exclude}, as dbt spells them: each item names a job or a table
 * (which stands for the job that writes it — for a raw extract, the jobs that read it), with {@code
 * +} before it for everything upstream and after it for everything downstream ({@code
 * +gold.commerce.gmv_monthly}, {@code silver.mentoring.users+}). The result keeps the registry's
 * dependency order.
 */
final class Selection {
  private final JobRegistry registry;

  Selection(JobRegistry registry) {
    this.registry = registry;
  }

  /** The candidates narrowed to the selected items (all of them when none), minus the excluded. */
  List<JobDefinition> apply(
      List<JobDefinition> candidates, List<String> select, List<String> exclude) {
    Set<JobDefinition> chosen =
        select.isEmpty() ? new LinkedHashSet<>(candidates) : resolveAll(select, "--select");
    chosen.removeAll(resolveAll(exclude, "--exclude"));
    return candidates.stream().filter(chosen::contains).collect(Collectors.toList());
  }

  private Set<JobDefinition> resolveAll(List<String> items, String option) {
    Set<JobDefinition> jobs = new LinkedHashSet<>();
    for (String list : items) {
      for (String item : list.split(",")) {
        if (!item.isBlank()) {
          jobs.addAll(resolve(item.trim(), option));
        }
      }
    }
    return jobs;
  }

  private Set<JobDefinition> resolve(String item, String option) {
    boolean up = item.startsWith("+");
    boolean down = item.endsWith("+") && item.length() > 1;
    String name = item.substring(up ? 1 : 0, item.length() - (down ? 1 : 0));
    Set<JobDefinition> named = named(name, option);
    Set<JobDefinition> jobs = new LinkedHashSet<>(named);
    if (up) {
      jobs.addAll(closure(named, registry::upstream));
    }
    if (down) {
      jobs.addAll(closure(named, this::downstream));
    }
    return jobs;
  }

  private Set<JobDefinition> named(String name, String option) {
    Optional<JobDefinition> job = registry.find(name);
    if (job.isPresent()) {
      return Set.of(job.get());
    }
    Optional<TableId> table = Optional.empty();
    try {
      table = Optional.of(TableId.parse(name));
    } catch (IllegalArgumentException notATable) {
      // reported below, with the other unknown names
    }
    if (table.isPresent()) {
      TableId id = table.get();
      Set<JobDefinition> writers =
          registry.jobs().stream()
              .filter(j -> j.outputs().contains(id))
              .collect(Collectors.toCollection(LinkedHashSet::new));
      if (writers.isEmpty() && id.isExternal()) {
        registry.jobs().stream().filter(j -> j.inputs().contains(id)).forEach(writers::add);
      }
      if (!writers.isEmpty()) {
        return writers;
      }
    }
    throw new UsageException(
        option + ": unknown job or table '" + name + "' (`list` shows the jobs and their tables)",
        "--select [+]<job or table id>[+],...  --exclude [+]<job or table id>[+],...");
  }

  private Set<JobDefinition> downstream(JobDefinition job) {
    return registry.jobs().stream()
        .filter(other -> registry.upstream(other).contains(job))
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static Set<JobDefinition> closure(
      Set<JobDefinition> start,
      java.util.function.Function<JobDefinition, Set<JobDefinition>> next) {
    Set<JobDefinition> seen = new LinkedHashSet<>();
    Deque<JobDefinition> todo = new ArrayDeque<>(start);
    while (!todo.isEmpty()) {
      for (JobDefinition neighbour : next.apply(todo.pop())) {
        if (seen.add(neighbour)) {
          todo.push(neighbour);
        }
      }
    }
    return seen;
  }
}
