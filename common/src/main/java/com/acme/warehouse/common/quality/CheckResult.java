package com.acme.warehouse.common.quality;

import java.util.List;

/** The outcome of one check on one table in one run. */
public final class CheckResult {
  public static final String PASSED = "passed";
  public static final String FAILED = "failed";

  /** Not judged: e.g. an anomaly rule with too little history. */
  public static final String SKIPPED = "skipped";

  private final String table;
  private final String check;
  private final String type;
  private final CheckSpec.Severity severity;
  private final String status;
  private final long offending;
  private final long checked;
  private final String detail;
  private final List<String> sample;
  private final Double value;

  public CheckResult(
      String table,
      String check,
      String type,
      CheckSpec.Severity severity,
      String status,
      long offending,
      long checked,
      String detail,
      List<String> sample,
      Double value) {
    this.table = table;
    this.check = check;
    this.type = type;
    this.severity = severity;
    this.status = status;
    this.offending = offending;
    this.checked = checked;
    this.detail = detail;
    this.sample = List.copyOf(sample);
    this.value = value;
  }

  public String table() {
    return table;
  }

  public String check() {
    return check;
  }

  public String type() {
    return type;
  }

  public CheckSpec.Severity severity() {
    return severity;
  }

  public String status() {
    return status;
  }

  public boolean failed() {
    return FAILED.equals(status);
  }

  /** A failed check of severity error: the job must stop. */
  public boolean blocking() {
    return failed() && severity == CheckSpec.Severity.ERROR;
  }

  public long offending() {
    return offending;
  }

  /** Rows the check looked at. */
  public long checked() {
    return checked;
  }

  public String detail() {
    return detail;
  }

  /** A few offending rows as JSON, never more than the configured sample size. */
  public List<String> sample() {
    return sample;
  }

  /** The measured value, for metrics (KPIs, row counts). */
  public Double value() {
    return value;
  }

  @Override
  public String toString() {
    return table
        + " "
        + check
        + " "
        + status
        + ": "
        + detail
        + (sample.isEmpty() ? "" : " e.g. " + sample);
  }
}
