package com.acme.warehouse.common.job;

import com.acme.warehouse.common.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one registry of jobs, keyed by name, kept in dependency order. The order is computed from the
 * declared inputs and outputs: a job runs after the producers of its inputs. Building the registry
 * checks the graph; a duplicate name, a table with two producers, an input that no job produces
 * (other than a raw extract) or a cycle is a configuration error naming the jobs and tables
 * involved.
 */
public final class JobRegistry {
  private final List<JobDefinition> ordered;
  private final Map<String, JobDefinition> byName;
  private final Map<TableId, JobDefinition> producers;

  public JobRegistry(List<JobDefinition> jobs) {
    List<String> problems = new ArrayList<>();
    Map<String, JobDefinition> names = new LinkedHashMap<>();
    for (JobDefinition job : jobs) {
      if (names.putIfAbsent(job.name(), job) != null) {
        problems.add("job '" + job.name() + "' is registered twice");
      }
    }
    Map<TableId, JobDefinition> producers = producers(names.values(), problems);
    for (JobDefinition job : names.values()) {
      for (TableId input : job.inputs()) {
        if (!input.isExternal() && !producers.containsKey(input)) {
          problems.add("job '" + job.name() + "' reads " + input + ", which no job produces");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    this.ordered = Collections.unmodifiableList(topologicalOrder(names.values(), producers));
    this.byName = Collections.unmodifiableMap(names);
    this.producers = Collections.unmodifiableMap(producers);
  }

  /** The jobs that produce a job's inputs (never the job itself). */
  public Set<JobDefinition> upstream(JobDefinition job) {
    Set<JobDefinition> upstream = new LinkedHashSet<>();
    for (TableId input : job.inputs()) {
      JobDefinition producer = producers.get(input);
      if (producer != null && producer != job) {
        upstream.add(producer);
      }
    }
    return upstream;
  }

  /** Every job, each after the jobs that produce its inputs. */
  public List<JobDefinition> jobs() {
    return ordered;
  }

  public Optional<JobDefinition> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * The jobs {@code pipeline} runs, in dependency order: every non-utility job, narrowed to one
   * domain and/or one layer when given. Inputs produced outside the selection are read as they are.
   */
  public List<JobDefinition> pipeline(Optional<String> domain, Optional<Layer> layer) {
    return ordered.stream()
        .filter(job -> job.layer().inPipeline())
        .filter(job -> domain.isEmpty() || domain.equals(job.domain()))
        .filter(job -> layer.isEmpty() || layer.get() == job.layer())
        .collect(Collectors.toList());
  }

  /** The domains jobs declare, sorted. */
  public Set<String> domains() {
    return ordered.stream()
        .map(JobDefinition::domain)
        .flatMap(Optional::stream)
        .sorted()
        .collect(Collectors.toCollection(LinkedHashSet::new));
  }

  private static Map<TableId, JobDefinition> producers(
      Iterable<JobDefinition> jobs, List<String> problems) {
    Map<TableId, JobDefinition> producers = new LinkedHashMap<>();
    for (JobDefinition job : jobs) {
      for (TableId output : job.outputs()) {
        if (output.isExternal()) {
          problems.add("job '" + job.name() + "' declares raw extract " + output + " as an output");
          continue;
        }
        JobDefinition other = producers.putIfAbsent(output, job);
        if (other != null) {
          problems.add(
              output + " is produced by both '" + other.name() + "' and '" + job.name() + "'");
        }
      }
    }
    return producers;
  }

  /** Kahn's algorithm; ties keep registration order, so the order is stable and readable. */
  private static List<JobDefinition> topologicalOrder(
      Iterable<JobDefinition> jobs, Map<TableId, JobDefinition> producers) {
    Map<JobDefinition, Set<JobDefinition>> upstream = new LinkedHashMap<>();
    for (JobDefinition job : jobs) {
      Set<JobDefinition> deps = new LinkedHashSet<>();
      for (TableId input : job.inputs()) {
        JobDefinition producer = producers.get(input);
        // A job that reads its own output (incremental state) does not depend on itself.
        if (producer != null && producer != job) {
          deps.add(producer);
        }
      }
      upstream.put(job, deps);
    }
    List<JobDefinition> order = new ArrayList<>();
    Set<JobDefinition> done = new LinkedHashSet<>();
    boolean progress = true;
    while (progress && done.size() < upstream.size()) {
      progress = false;
      for (Map.Entry<JobDefinition, Set<JobDefinition>> entry : upstream.entrySet()) {
        if (!done.contains(entry.getKey()) && done.containsAll(entry.getValue())) {
          done.add(entry.getKey());
          order.add(entry.getKey());
          progress = true;
          break;
        }
      }
    }
    if (done.size() < upstream.size()) {
      throw new InvalidConfigException(
          "job dependencies form a cycle (each job reads what the next one writes): "
              + cycle(upstream, done));
    }
    return order;
  }

  /** One cycle among the jobs left unordered, as {@code a -> b -> a} ("a reads what b writes"). */
  private static String cycle(
      Map<JobDefinition, Set<JobDefinition>> upstream, Set<JobDefinition> done) {
    JobDefinition start =
        upstream.keySet().stream().filter(job -> !done.contains(job)).findFirst().orElseThrow();
    List<JobDefinition> path = new ArrayList<>();
    JobDefinition current = start;
    while (!path.contains(current)) {
      path.add(current);
      current =
          upstream.get(current).stream()
              .filter(job -> !done.contains(job))
              .findFirst()
              .orElseThrow();
    }
    List<JobDefinition> loop = path.subList(path.indexOf(current), path.size());
    return loop.stream().map(JobDefinition::name).collect(Collectors.joining(" -> "))
        + " -> "
        + current.name();
  }
}
