package com.acme.warehouse.common.quality;

/**
 * A blocking ({@code error}) data-quality check failed: the job stops before it commits or
 * publishes output, and the process exits with code 3.
 */
public class DataQualityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataQualityException(String message) {
    super(message);
  }
}
