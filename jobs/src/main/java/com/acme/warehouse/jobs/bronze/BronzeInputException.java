package com.acme.warehouse.jobs.bronze;

/** A raw file that bronze cannot ingest as configured; the message names the file and line. */
public class BronzeInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BronzeInputException(String message) {
    super(message);
  }
}
