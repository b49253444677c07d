package com.acme.warehouse.common.job;

/**
 * A command-line option of one job that is a shorthand for a config key: {@code
 * generate-sample-data --scale 10} is {@code --set sample-data.scale=10}. Config stays the one
 * interface; the option only saves typing.
 */
public final class JobOption {
  private final String flag;
  private final String configKey;
  private final String paramLabel;
  private final String description;

  public JobOption(String flag, String configKey, String paramLabel, String description) {
    if (!flag.matches("--[a-z][a-z0-9-]*")) {
      throw new IllegalArgumentException("option '" + flag + "' must look like --kebab-case");
    }
    this.flag = flag;
    this.configKey = configKey;
    this.paramLabel = paramLabel;
    this.description = description;
  }

  public String flag() {
    return flag;
  }

  public String configKey() {
    return configKey;
  }

  public String paramLabel() {
    return paramLabel;
  }

  public String description() {
    return description;
  }
}
