package com.acme.warehouse.common.cli;

import com.acme.warehouse.common.config.AppConfig;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.config.ConfigSources;
import com.acme.warehouse.common.config.EffectiveConfig;
import com.acme.warehouse.common.config.InvalidConfigException;
import com.acme.warehouse.common.config.SparkConfig;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobOption;
import com.acme.warehouse.common.job.JobRegistry;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.job.TableLocations;
import com.acme.warehouse.common.ops.ConfigLog;
import com.acme.warehouse.common.ops.JobLeases;
import com.acme.warehouse.common.ops.RunLog;
import com.acme.warehouse.common.quality.QualityConfig;
import com.acme.warehouse.common.quality.QualityGate;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValueType;
import java.io.PrintStream;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The command line of the job suite: {@code <program> list|pipeline|<job-name> [options]}.
 *
 * <p>Order of work, so that nothing touches data before everything is known to be valid: parse the
 * options, load the layered config, build the job registry from it, validate the shared config and
 * the config of every selected job (all problems at once), and only then start Spark. Returns the
 * exit code instead of exiting, so it can be tested.
 */
public final class Cli {
  private static final Logger LOG = LoggerFactory.getLogger(Cli.class);
  private static final String LIST = "list";
  private static final String PIPELINE = "pipeline";
  private static final String SQL = "sql";
  private static final String SHOW = "show";
  private static final String LINEAGE = "lineage";
  private static final String DEFAULT_ENV = "local";

  /** What each command other than a job's name does, in the order the usage lists them. */
  private static final Map<String, String> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put(LIST, "the jobs with layer, domain, inputs and outputs");
    COMMANDS.put(PIPELINE, "run the selected jobs in dependency order");
    COMMANDS.put(SQL, "query tables by id (gold.commerce.gmv_monthly); writes need --allow-writes");
    COMMANDS.put(SHOW, "a table's schema, rows, Delta version and last run");
    COMMANDS.put(LINEAGE, "the jobs and tables as a graph");
  }

  /** Builds the job registry; the jobs may depend on config (e.g. one bronze job per source). */
  @FunctionalInterface
  public interface RegistryFactory {
    JobRegistry build(Config config);
  }

  /** Provides the SparkSession of the run. */
  @FunctionalInterface
  public interface SessionProvider {
    SparkSession get(SparkConfig config);
  }

  private final String program;
  private final RegistryFactory registries;
  private final ConfigLoader loader;
  private final SessionProvider sessions;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;

  public Cli(
      String program,
      RegistryFactory registries,
      ConfigLoader loader,
      SessionProvider sessions,
      PrintStream out,
      PrintStream err,
      Clock clock) {
    this.program = program;
    this.registries = registries;
    this.loader = loader;
    this.sessions = sessions;
    this.out = out;
    this.err = err;
    this.clock = clock;
  }

  public int execute(String... args) {
    try {
      return dispatch(args);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      err.println(e.usage());
      return ExitCode.BAD_USAGE_OR_CONFIG.code();
    } catch (InvalidConfigException e) {
      err.println("error: " + e.getMessage());
      return ExitCode.BAD_USAGE_OR_CONFIG.code();
    } catch (RuntimeException e) {
      LOG.error("{} failed", program, e);
      err.println("error: " + Failures.oneLine(e));
      return ExitCode.of(e).code();
    }
  }

  private int dispatch(String[] args) {
    if (args.length == 0) {
      throw new UsageException("no command given", generalUsage());
    }
    String command = args[0];
    if (command.equals("-h") || command.equals("--help") || command.equals("help")) {
      out.println(generalUsage());
      return ExitCode.OK.code();
    }
    if (command.startsWith("-")) {
      throw new UsageException("the command comes first, before '" + command + "'", generalUsage());
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);

    // The registry depends on config and the config on the options: read the shared options
    // leniently first, then parse strictly once the command is known.
    ParseResult lenient = parse(commonSpec(command), rest, true);
    ConfigSources sources = sources(lenient);
    Config config = loader.load(sources);
    JobRegistry registry = registries.build(config);

    if (Arrays.asList(rest).contains("--help") || Arrays.asList(rest).contains("-h")) {
      out.print(new CommandLine(spec(command, registry)).getUsageMessage());
      return ExitCode.OK.code();
    }
    if (command.equals(LIST)) {
      CommandSpec spec = spec(command, registry);
      ParseResult options = parse(spec, rest, false);
      out.print(
          options.hasMatchedOption("--json") ? manifestJson(registry) : manifestTable(registry));
      return ExitCode.OK.code();
    }
    if (command.equals(LINEAGE)) {
      return lineage(rest, registry);
    }
    if (command.equals(SQL) || command.equals(SHOW)) {
      return query(command, rest, config, registry);
    }
    if (command.equals(PIPELINE)) {
      return pipeline(rest, registry, config, sources);
    }

    JobDefinition job = job(command, registry);
    ParseResult options = parse(spec(command, registry), rest, false);
    Map<String, String> jobOverrides = new LinkedHashMap<>();
    for (JobOption option : job.options()) {
      if (options.hasMatchedOption(option.flag())) {
        jobOverrides.put(option.configKey(), options.matchedOptionValue(option.flag(), ""));
      }
    }
    if (!jobOverrides.isEmpty()) {
      sources = sources.withOverrides(jobOverrides);
      config = loader.load(sources);
    }
    return runJobs(registry, List.of(job), config, sources, options, false);
  }

  /**
   * {@code pipeline}: the selected jobs (domain, layer, --select, --exclude) in dependency order.
   */
  private int pipeline(String[] rest, JobRegistry registry, Config config, ConfigSources sources) {
    CommandSpec spec = spec(PIPELINE, registry);
    ParseResult options = parse(spec, rest, false);
    Optional<String> domain = Optional.ofNullable(options.matchedOptionValue("--domain", null));
    if (domain.isPresent() && !registry.domains().contains(domain.get())) {
      throw new UsageException(
          "--domain: unknown domain '" + domain.get() + "' (known: " + registry.domains() + ")",
          synopsis(spec));
    }
    Optional<Layer> layer = Optional.empty();
    String layerText = options.matchedOptionValue("--layer", null);
    if (layerText != null) {
      layer = Layer.parse(layerText).filter(Layer::inPipeline);
      if (layer.isEmpty()) {
        throw new UsageException(
            "--layer: unknown layer '" + layerText + "' (known: bronze, silver, gold, publish)",
            synopsis(spec));
      }
    }
    List<JobDefinition> selected = registry.pipeline(domain, layer);
    if (layer.isEmpty() && AppConfig.SINK_DELTA.equals(config.getString("gold.sink"))) {
      // Gold already is where the Delta sink publishes it: no publish steps unless asked for.
      selected =
          selected.stream()
              .filter(job -> job.layer() != Layer.PUBLISH)
              .collect(java.util.stream.Collectors.toList());
    }
    selected =
        new Selection(registry)
            .apply(
                selected,
                List.of(options.matchedOptionValue("--select", new String[0])),
                List.of(options.matchedOptionValue("--exclude", new String[0])));
    return runJobs(registry, selected, config, sources, options, true);
  }

  /**
   * A command's wiring in the order it happens: options, settings, dry run, the session, the
   * configuration and run logs, leases, the runner and the executor. Left whole (~70 lines): split,
   * its halves would pass a dozen of these values between them.
   */
  private int runJobs(
      JobRegistry registry,
      List<JobDefinition> selected,
      Config config,
      ConfigSources sources,
      ParseResult options,
      boolean isPipeline) {
    boolean fullRefresh = options.hasMatchedOption("--full-refresh");
    boolean dryRun = options.hasMatchedOption("--dry-run");
    Optional<LocalDate> runDate = runDate(options);
    Progress.Format format =
        choice(options, "--log-format", Progress.Format.TEXT, "--log-format text|json");
    boolean verbose = options.hasMatchedOption("--verbose");
    if (verbose) {
      Verbosity.raise();
    }

    RunSettings settings = new RunSettings(config, registry, selected);
    AppConfig app = settings.app;
    Map<JobDefinition, Job> jobs = settings.jobs;
    List<String> effectiveConfig = EffectiveConfig.lines(config);
    logEffectiveConfig(effectiveConfig, verbose);

    if (dryRun) {
      out.print(plan(jobs, app, fullRefresh));
      return ExitCode.OK.code();
    }
    if (jobs.isEmpty()) {
      out.println("no jobs selected");
      return ExitCode.OK.code();
    }

    SparkSession spark = sessions.get(app.spark());
    TableLocations tables = new TableLocations(app.paths());
    String env = sources.env().orElse(DEFAULT_ENV);
    String pipelineId = isPipeline ? UUID.randomUUID().toString() : null;
    String configId = recordConfig(spark, tables, effectiveConfig, pipelineId, env);
    RunLog runLog = new RunLog(spark, tables.runLog());
    List<String> names = new ArrayList<>();
    jobs.keySet().forEach(definition -> names.add(definition.name()));
    JobLeases leases =
        new JobLeases(
            spark, tables.jobLeases(), settings.leaseTtl, clock, names, settings.useLeases);
    JobRunner runner =
        new JobRunner(
            spark,
            app,
            runLog,
            configId,
            env,
            out,
            clock,
            new QualityGate(spark, settings.quality, tables, runLog, clock),
            runDate,
            settings.timeouts::get,
            leases,
            new Progress(out, format, names));
    PipelineExecutor.Result result;
    try {
      result =
          new PipelineExecutor(runner, isPipeline ? settings.parallelism : 1, err)
              .execute(jobs, registry::upstream, fullRefresh, pipelineId);
    } finally {
      leases.release();
    }
    writeSkippedRuns(runLog);
    if (isPipeline) {
      out.print(RunSummaryTable.render(result.runs, result.notRun));
    }
    Exception failure = result.failure;
    return failure == null ? ExitCode.OK.code() : ExitCode.of(failure).code();
  }

  /** The records of skipped runs that no later run's commit to the run log carried. */
  private static void writeSkippedRuns(RunLog runLog) {
    try {
      runLog.flush();
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "could not write the skipped runs to the run log at " + runLog.location(), e);
    }
  }

  /**
   * Hundreds of lines: logged for --verbose (or a DEBUG log), not on every run's first screen;
   * every run keeps them in the warehouse instead ({@link #recordConfig}).
   */
  private static void logEffectiveConfig(List<String> lines, boolean verbose) {
    if (verbose || LOG.isDebugEnabled()) {
      String effective = String.join("\n  ", lines);
      if (verbose) {
        LOG.info("effective configuration:\n  {}", effective);
      } else {
        LOG.debug("effective configuration:\n  {}", effective);
      }
    }
  }

  /** Keeps the masked configuration in {@code _ops.configs} (once); returns its id. */
  private String recordConfig(
      SparkSession spark,
      TableLocations tables,
      List<String> lines,
      String pipelineId,
      String env) {
    Instant start = clock.instant();
    String id = new ConfigLog(spark, tables.configs()).record(lines, start, pipelineId, env);
    LOG.info(
        "effective configuration {} kept in {} ({} ms)",
        id,
        tables.configs(),
        Duration.between(start, clock.instant()).toMillis());
    return id;
  }

  /**
   * The shared settings of a run and its selected jobs, every one validated (all problems at once)
   * before Spark starts.
   */
  private static final class RunSettings {
    final AppConfig app;
    final int parallelism;
    final Map<String, Optional<Duration>> timeouts = new LinkedHashMap<>();
    final boolean useLeases;
    final Duration leaseTtl;
    final QualityConfig quality;
    final Map<JobDefinition, Job> jobs = new LinkedHashMap<>();

    RunSettings(Config config, JobRegistry registry, List<JobDefinition> selected) {
      ConfigReader reader = new ConfigReader(config);
      app = AppConfig.from(reader);
      parallelism = reader.intInRange("pipeline.max-parallel-jobs", 1, 64);
      checkJobKeys(config, registry, reader);
      for (JobDefinition definition : selected) {
        timeouts.put(definition.name(), timeout(reader, definition.name()));
      }
      useLeases = reader.bool("jobs.leases");
      leaseTtl = reader.duration("jobs.lease-ttl");
      if (leaseTtl.toSeconds() < 3) {
        reader.problem("jobs.lease-ttl", "must be at least 3s (it is renewed every third of it)");
      }
      quality = QualityConfig.from(reader.at("quality"));
      for (JobDefinition definition : selected) {
        jobs.put(definition, definition.factory().create(reader, app));
      }
      reader.throwIfInvalid();
    }
  }

  /** {@code lineage [--format mermaid|dot|json]}: the pipeline's jobs and tables as a graph. */
  private int lineage(String[] rest, JobRegistry registry) {
    CommandSpec spec = spec(LINEAGE, registry);
    ParseResult options = parse(spec, rest, false);
    Lineage.Format format = choice(options, "--format", Lineage.Format.MERMAID, synopsis(spec));
    out.print(new Lineage(registry.pipeline(Optional.empty(), Optional.empty())).render(format));
    return ExitCode.OK.code();
  }

  /**
   * {@code sql STATEMENT} or {@code show TABLE}: reads the warehouse, writes nothing by default.
   */
  private int query(String command, String[] rest, Config config, JobRegistry registry) {
    CommandSpec spec = spec(command, registry);
    boolean sql = command.equals(SQL);
    ParseResult options = parse(spec, rest, false);
    String argument = options.matchedPositionalValue(0, "");
    ConfigReader reader = new ConfigReader(config);
    AppConfig app = AppConfig.from(reader);
    reader.throwIfInvalid();
    WarehouseQuery.Format format = WarehouseQuery.Format.TABLE;
    int limit = 100;
    if (sql) {
      format = choice(options, "--format", WarehouseQuery.Format.TABLE, synopsis(spec));
      String limitText = options.matchedOptionValue("--limit", "100");
      try {
        limit = Integer.parseInt(limitText);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1) {
        throw new UsageException(
            "--limit: '" + limitText + "' is not a positive number", synopsis(spec));
      }
    }
    SparkSession spark = sessions.get(app.spark());
    WarehouseQuery query =
        new WarehouseQuery(spark, registry, new TableLocations(app.paths()), out);
    if (sql) {
      query.sql(argument, format, limit, options.hasMatchedOption("--allow-writes"));
    } else {
      query.show(argument);
    }
    return ExitCode.OK.code();
  }

  /**
   * Keys under {@code jobs} (an open section: any job may have its own) are {@code jobs.timeout} or
   * {@code jobs.<a job's name>.timeout}; anything else is a typo, reported as one.
   */
  private static void checkJobKeys(Config config, JobRegistry registry, ConfigReader reader) {
    if (!config.hasPath("jobs")) {
      return;
    }
    for (String key : config.getConfig("jobs").root().keySet()) {
      boolean known =
          key.equals("timeout")
              || key.equals("lease-ttl")
              || key.equals("leases")
              || (registry.find(key).isPresent()
                  && config.getConfig("jobs").getValue(ConfigUtil.joinPath(key)).valueType()
                      == ConfigValueType.OBJECT
                  && config
                      .getConfig("jobs")
                      .getConfig(ConfigUtil.joinPath(key))
                      .root()
                      .keySet()
                      .equals(java.util.Set.of("timeout")));
      if (!known) {
        reader.problem(
            "jobs." + key,
            "unknown key: jobs.timeout, jobs.leases, jobs.lease-ttl or jobs.<job name>.timeout"
                + " (`list` names the jobs)");
      }
    }
  }

  /**
   * {@code jobs.<name>.timeout}, else {@code jobs.timeout}: how long a run may take (no limit when
   * neither is set).
   */
  private static Optional<Duration> timeout(ConfigReader reader, String job) {
    String own = "jobs." + job + ".timeout";
    String key = reader.has(own) ? own : "jobs.timeout";
    if (!reader.has(key)) {
      return Optional.empty();
    }
    Duration limit = reader.duration(key);
    if (limit.isZero() || limit.isNegative()) {
      reader.problem(key, "must be a positive duration such as '4h' or '30m'");
    }
    return Optional.of(limit);
  }

  private String plan(Map<JobDefinition, Job> jobs, AppConfig app, boolean fullRefresh) {
    TableLocations tables = new TableLocations(app.paths());
    StringBuilder text = new StringBuilder("dry run: nothing will be read or written\n");
    for (Map.Entry<JobDefinition, Job> entry : jobs.entrySet()) {
      JobDefinition job = entry.getKey();
      text.append(job.name())
          .append(" [")
          .append(job.layer().id())
          .append(job.domain().map(d -> ", " + d).orElse(""))
          .append("] mode: ")
          .append(fullRefresh ? "full refresh" : "incremental")
          .append('\n');
      for (TableId input : job.inputs()) {
        text.append("  reads  ").append(input).append("  ").append(tables.of(input)).append('\n');
      }
      for (TableId output : job.outputs()) {
        text.append("  writes ").append(output).append("  ").append(tables.of(output)).append('\n');
      }
      for (String line : entry.getValue().describe()) {
        text.append("  ").append(line).append('\n');
      }
    }
    text.append("run log: ").append(tables.runLog()).append('\n');
    return text.toString();
  }

  private static String manifestTable(JobRegistry registry) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"JOB", "LAYER", "DOMAIN", "INPUTS", "OUTPUTS"});
    for (JobDefinition job : registry.jobs()) {
      rows.add(
          new String[] {
            job.name(),
            job.layer().id(),
            job.domain().orElse("-"),
            join(job.inputs()),
            join(job.outputs())
          });
    }
    return TextTable.format(rows, rows.get(0).length);
  }

  private static String join(List<TableId> tables) {
    return tables.isEmpty()
        ? "-"
        : tables.stream().map(TableId::toString).collect(Collectors.joining(","));
  }

  /** {@code {"jobs": [{"name", "layer", "domain", "inputs", "outputs"}]}}, in dependency order. */
  static String manifestJson(JobRegistry registry) {
    List<Map<String, Object>> jobs = new ArrayList<>();
    for (JobDefinition job : registry.jobs()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("name", job.name());
      entry.put("layer", job.layer().id());
      entry.put("domain", job.domain().orElse(null));
      entry.put(
          "inputs", job.inputs().stream().map(TableId::toString).collect(Collectors.toList()));
      entry.put(
          "outputs", job.outputs().stream().map(TableId::toString).collect(Collectors.toList()));
      jobs.add(entry);
    }
    try {
      return new ObjectMapper()
              .enable(SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(Map.of("jobs", jobs))
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ConfigSources sources(ParseResult options) {
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String pair : options.matchedOptionValue("--set", new String[0])) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new InvalidConfigException(
            "--set " + EffectiveConfig.maskInside(pair) + ": expected KEY=VALUE");
      }
      overrides.put(pair.substring(0, eq).trim(), pair.substring(eq + 1));
    }
    String confFile = options.matchedOptionValue("--conf-file", null);
    return ConfigSources.of(
        options.matchedOptionValue("--env", null),
        confFile == null ? null : Paths.get(confFile),
        overrides);
  }

  private ParseResult parse(CommandSpec spec, String[] args, boolean lenient) {
    CommandLine commandLine = new CommandLine(spec);
    commandLine.setUnmatchedArgumentsAllowed(lenient);
    try {
      return commandLine.parseArgs(args);
    } catch (ParameterException e) {
      throw new UsageException(e.getMessage(), synopsis(spec));
    }
  }

  private Optional<LocalDate> runDate(ParseResult options) {
    String text = options.matchedOptionValue("--run-date", null);
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalDate.parse(text));
    } catch (DateTimeParseException e) {
      throw new UsageException(
          "--run-date: '" + text + "' is not a date (YYYY-MM-DD)", "--run-date YYYY-MM-DD");
    }
  }

  /** An option naming one of an enum's constants, in any case; anything else is bad usage. */
  private static <E extends Enum<E>> E choice(
      ParseResult options, String flag, E fallback, String usage) {
    String text = options.matchedOptionValue(flag, fallback.name());
    List<String> names = new ArrayList<>();
    for (E constant : fallback.getDeclaringClass().getEnumConstants()) {
      if (constant.name().equalsIgnoreCase(text)) {
        return constant;
      }
      names.add(constant.name().toLowerCase(java.util.Locale.ROOT));
    }
    String last = names.remove(names.size() - 1);
    throw new UsageException(
        flag + ": '" + text + "' is not " + String.join(", ", names) + " or " + last, usage);
  }

  /**
   * The options a command accepts, those of every command and its own: parsing, {@code <command>
   * --help} and the general usage all come from here, so the help cannot drift from what is parsed.
   */
  private CommandSpec spec(String command, JobRegistry registry) {
    CommandSpec spec = commonSpec(command);
    CommandSpec own = ownSpec(command, registry);
    own.options().forEach(spec::addOption);
    own.positionalParameters().forEach(spec::addPositional);
    spec.usageMessage().description(own.usageMessage().description());
    return spec;
  }

  /** A command's own options and arguments, without those every command has. */
  private CommandSpec ownSpec(String command, JobRegistry registry) {
    CommandSpec spec = CommandSpec.create().name(program + " " + command);
    switch (command) {
      case LIST:
        spec.addOption(flag("--json", "print the manifest as JSON"));
        break;
      case PIPELINE:
        spec.addOption(valued("--domain", "D", "only the jobs of this domain"));
        spec.addOption(valued("--layer", "L", "only the jobs of this layer (" + Layer.ids() + ")"));
        spec.addOption(
            repeatable(
                "--select",
                "[+]NAME[+],...",
                "only these jobs or tables' jobs; + before: and upstream, + after: and downstream"));
        spec.addOption(repeatable("--exclude", "[+]NAME[+],...", "leave these out (same syntax)"));
        break;
      case SQL:
        spec.addPositional(positional("STATEMENT", "one SQL statement"));
        spec.addOption(valued("--format", "table|csv|json", "how to print the rows (table)"));
        spec.addOption(valued("--limit", "N", "print at most N rows (100)"));
        spec.addOption(flag("--allow-writes", "run a statement that writes or changes tables"));
        break;
      case SHOW:
        spec.addPositional(positional("TABLE", "a table id, e.g. gold.commerce.gmv_monthly"));
        break;
      case LINEAGE:
        spec.addOption(valued("--format", "mermaid|dot|json", "the graph's notation (mermaid)"));
        break;
      default:
        JobDefinition job = job(command, registry);
        for (JobOption option : job.options()) {
          spec.addOption(valued(option.flag(), option.paramLabel(), option.description()));
        }
        spec.usageMessage()
            .description(
                "run the job " + job.name() + " [" + job.layer().id() + "]",
                "reads  " + join(job.inputs()).replace(",", ", "),
                "writes " + join(job.outputs()).replace(",", ", "));
        return spec;
    }
    spec.usageMessage().description(COMMANDS.get(command));
    return spec;
  }

  private JobDefinition job(String name, JobRegistry registry) {
    return registry
        .find(name)
        .orElseThrow(
            () ->
                new UsageException(
                    "unknown job '" + name + "' (run '" + program + " list' to see the jobs)",
                    generalUsage()));
  }

  private CommandSpec commonSpec(String command) {
    CommandSpec spec = CommandSpec.create().name(program + " " + command);
    spec.addOption(
        valued("--env", "NAME", "environment: reads conf/NAME.conf over application.conf"));
    spec.addOption(valued("--conf-file", "PATH", "a config file read over the environment's"));
    spec.addOption(
        repeatable(
            "--set", "KEY=VALUE", "override one config key (repeatable); wins over every file"));
    spec.addOption(flag("--full-refresh", "rebuild outputs from all input, not only what is new"));
    spec.addOption(flag("--dry-run", "validate config and print the plan; touch nothing"));
    spec.addOption(
        valued(
            "--run-date",
            "YYYY-MM-DD",
            "the logical date of the run (a scheduler's run date), kept in the run log"));
    spec.addOption(
        valued(
            "--log-format",
            "text|json",
            "a line per finished job for a person (text, the default) or its JSON summary"));
    spec.addOption(
        flag("--verbose", "log the effective configuration and each job's progress to stderr"));
    spec.addOption(flag("--help", "print this command's options and exit"));
    return spec;
  }

  private static CommandLine.Model.PositionalParamSpec positional(
      String label, String description) {
    return CommandLine.Model.PositionalParamSpec.builder()
        .paramLabel(label)
        .arity("1")
        .description(description)
        .build();
  }

  private static OptionSpec repeatable(String name, String label, String description) {
    return OptionSpec.builder(name)
        .paramLabel(label)
        .type(String[].class)
        .arity("1")
        .description(description)
        .build();
  }

  private static OptionSpec flag(String name, String description) {
    return OptionSpec.builder(name).type(boolean.class).arity("0").description(description).build();
  }

  private static OptionSpec valued(String name, String label, String description) {
    return OptionSpec.builder(name)
        .paramLabel(label)
        .type(String.class)
        .arity("1")
        .description(description)
        .build();
  }

  private static String synopsis(CommandSpec spec) {
    return "Usage: " + synopsisOf(spec);
  }

  /**
   * Every command's synopsis and purpose, then the options every command takes: generated from the
   * same specs the commands are parsed with.
   */
  private String generalUsage() {
    StringBuilder usage = new StringBuilder("Usage: " + program + " <command> [options]\n");
    for (Map.Entry<String, String> command : COMMANDS.entrySet()) {
      usage.append("  ").append(synopsisOf(ownSpec(command.getKey(), null))).append('\n');
      usage.append("      ").append(command.getValue()).append('\n');
    }
    usage.append("  ").append(program).append(" <job-name> [job options]\n");
    usage.append("      run one job (see '").append(program).append(" list')\n");
    usage.append("Options of every command (").append(program).append(" <command> --help):\n");
    StringBuilder line = new StringBuilder(" ");
    for (OptionSpec option : commonSpec("").options()) {
      String text =
          option.longestName() + (option.arity().max() > 0 ? " " + option.paramLabel() : "");
      if (line.length() + text.length() > 96) {
        usage.append(line).append('\n');
        line = new StringBuilder(" ");
      }
      line.append(' ').append(text);
    }
    return usage.append(line).toString();
  }

  private static String synopsisOf(CommandSpec spec) {
    spec.usageMessage().width(1000);
    return new CommandLine.Help(spec).synopsis(0).trim();
  }
}
