package com.acme.warehouse.common.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * {@code --verbose}: the suite's own loggers at INFO at least, whatever the log configuration says
 * (a local run keeps them at WARN so that its console shows progress lines, not log lines). Spark
 * runs on log4j 2, so its API is the one to raise a level at run time.
 */
final class Verbosity {
  private static final String SUITE = "com.acme.warehouse";

  private Verbosity() {}

  static void raise() {
    if (!LogManager.getLogger(SUITE).isInfoEnabled()) {
      Configurator.setLevel(SUITE, Level.INFO);
    }
  }
}
