package com.acme.warehouse.common.cli;

/** The command line is wrong: unknown command or option, missing value. Exit code 2. */
public class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String usage;

  public UsageException(String message, String usage) {
    super(message);
    this.usage = usage;
  }

  /** The usage line for the command that was attempted. */
  public String usage() {
    return usage;
  }
}
