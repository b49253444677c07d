package com.acme.warehouse.common.job;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A job's entry in the manifest: name, layer, domain, the tables it reads and writes, its
 * command-line shorthands and how to build it. The declared inputs and outputs are the single
 * source of the dependency graph (pipeline order, Airflow DAG).
 */
public final class JobDefinition {
  private static final Pattern KEBAB = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

  private final String name;
  private final Layer layer;
  private final String domain;
  private final List<TableId> inputs;
  private final List<TableId> outputs;
  private final List<JobOption> options;
  private final String description;
  private final JobFactory factory;
  private final boolean alwaysRuns;

  private JobDefinition(Builder b) {
    this.name = b.name;
    this.layer = Objects.requireNonNull(b.layer, "layer of job " + b.name);
    this.domain = b.domain;
    this.inputs = Collections.unmodifiableList(new ArrayList<>(b.inputs));
    this.outputs = Collections.unmodifiableList(new ArrayList<>(b.outputs));
    this.options = Collections.unmodifiableList(new ArrayList<>(b.options));
    this.description = b.description;
    this.factory = Objects.requireNonNull(b.factory, "factory of job " + b.name);
    this.alwaysRuns = b.alwaysRuns;
    if (!KEBAB.matcher(name).matches()) {
      throw new IllegalArgumentException("job name '" + name + "' must be kebab-case");
    }
    if (domain != null && !name.startsWith(domain + "-")) {
      throw new IllegalArgumentException(
          "job name '" + name + "' must begin with its domain '" + domain + "-'");
    }
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public Layer layer() {
    return layer;
  }

  public Optional<String> domain() {
    return Optional.ofNullable(domain);
  }

  public List<TableId> inputs() {
    return inputs;
  }

  public List<TableId> outputs() {
    return outputs;
  }

  public List<JobOption> options() {
    return options;
  }

  public String description() {
    return description;
  }

  /**
   * Whether the job runs even when its declared inputs did not move: it also reads what changes
   * with every run (the run log), which no fingerprint of its inputs can follow.
   */
  public boolean alwaysRuns() {
    return alwaysRuns;
  }

  public JobFactory factory() {
    return factory;
  }

  @Override
  public String toString() {
    return name;
  }

  /** Builds a {@link JobDefinition}. */
  public static final class Builder {
    private final String name;
    private Layer layer;
    private String domain;
    private final List<TableId> inputs = new ArrayList<>();
    private final List<TableId> outputs = new ArrayList<>();
    private final List<JobOption> options = new ArrayList<>();
    private String description = "";
    private JobFactory factory;
    private boolean alwaysRuns;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name);
    }

    public Builder layer(Layer layer) {
      this.layer = layer;
      return this;
    }

    public Builder domain(String domain) {
      this.domain = domain;
      return this;
    }

    public Builder inputs(String... tableIds) {
      for (String id : tableIds) {
        inputs.add(TableId.parse(id));
      }
      return this;
    }

    public Builder inputs(List<TableId> tableIds) {
      inputs.addAll(tableIds);
      return this;
    }

    public Builder outputs(String... tableIds) {
      for (String id : tableIds) {
        outputs.add(TableId.parse(id));
      }
      return this;
    }

    public Builder outputs(List<TableId> tableIds) {
      outputs.addAll(tableIds);
      return this;
    }

    public Builder option(String flag, String configKey, String paramLabel, String description) {
      options.add(new JobOption(flag, configKey, paramLabel, description));
      return this;
    }

    public Builder description(String description) {
      this.description = description;
      return this;
    }

    public Builder factory(JobFactory factory) {
      this.factory = factory;
      return this;
    }

    /** See {@link JobDefinition#alwaysRuns()}. */
    public Builder alwaysRuns() {
      this.alwaysRuns = true;
      return this;
    }

    public JobDefinition build() {
      return new JobDefinition(this);
    }
  }
}
