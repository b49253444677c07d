package com.acme.warehouse.common.cli;

import com.acme.warehouse.common.config.InvalidConfigException;
import com.acme.warehouse.common.quality.DataQualityException;

/** The process exit codes every job shares; Airflow and scripts rely on them. */
public enum ExitCode {
  OK(0),
  FAILED(1),
  BAD_USAGE_OR_CONFIG(2),
  DATA_QUALITY(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The exit code a failure maps to, looking through wrapping exceptions. */
  public static ExitCode of(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DataQualityException) {
        return DATA_QUALITY;
      }
      if (t instanceof InvalidConfigException || t instanceof UsageException) {
        return BAD_USAGE_OR_CONFIG;
      }
    }
    return FAILED;
  }
}
