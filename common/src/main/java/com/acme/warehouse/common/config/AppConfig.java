package com.acme.warehouse.common.config;

import com.acme.warehouse.common.publish.BigQuerySettings;
import com.typesafe.config.Config;
import java.util.Set;

/**
 * The validated settings every job shares: paths, Spark and the gold sink. Each job validates its
 * own section separately through the same {@link ConfigReader}, so all problems are reported
 * together before any SparkSession exists.
 */
public final class AppConfig {
  public static final String SINK_DELTA = "delta";
  public static final String SINK_BIGQUERY = "bigquery";

  private final Config raw;
  private final PathsConfig paths;
  private final SparkConfig spark;
  private final String goldSink;

  private AppConfig(Config raw, PathsConfig paths, SparkConfig spark, String goldSink) {
    this.raw = raw;
    this.paths = paths;
    this.spark = spark;
    this.goldSink = goldSink;
  }

  /** Reads and validates the shared sections; problems go to the reader. */
  public static AppConfig from(ConfigReader config) {
    PathsConfig paths = PathsConfig.from(config.at("paths"));
    SparkConfig spark = SparkConfig.from(config.at("spark"));
    String sink = config.oneOf("gold.sink", Set.of(SINK_DELTA, SINK_BIGQUERY));
    if (SINK_BIGQUERY.equals(sink)) {
      BigQuerySettings.validate(config);
    }
    return new AppConfig(config.root(), paths, spark, sink);
  }

  /** The whole resolved configuration, for sections that jobs read themselves. */
  public Config raw() {
    return raw;
  }

  public PathsConfig paths() {
    return paths;
  }

  public SparkConfig spark() {
    return spark;
  }

  public String goldSink() {
    return goldSink;
  }
}
