package com.acme.warehouse.common.cli;

import com.acme.warehouse.common.ops.RunRecord;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;

/**
 * What a command prints as each of its jobs finishes: one aligned line for a person ({@code [12/40]
 * mentoring-silver-users ok 3.1s 70,206 rows (0 quarantined)}), or the run's one-line JSON summary
 * for a machine ({@code --log-format json}). Jobs of a pipeline finish on several threads, so the
 * counter and the printing are synchronised; one instance lives for one command.
 */
final class Progress {
  /** How finished jobs are reported. */
  enum Format {
    TEXT,
    JSON
  }

  private final PrintStream out;
  private final Format format;
  private final int total;
  private final int nameWidth;
  private int finished;

  Progress(PrintStream out, Format format, Collection<String> jobs) {
    this.out = out;
    this.format = format;
    this.total = jobs.size();
    this.nameWidth = jobs.stream().mapToInt(String::length).max().orElse(0);
  }

  synchronized void finished(RunRecord run) {
    finished++;
    out.println(format == Format.JSON ? run.summaryJson() : line(run));
  }

  private String line(RunRecord run) {
    int digits = Integer.toString(total).length();
    String counter = String.format(Locale.ROOT, "[%" + digits + "d/%d]", finished, total);
    String seconds = String.format(Locale.ROOT, "%.1fs", run.duration().toMillis() / 1000.0);
    String outcome;
    if (RunRecord.SKIPPED.equals(run.status())) {
      outcome = "skipped  " + seconds + "  " + run.details().getOrDefault("reason", "");
    } else if (run.succeeded()) {
      outcome =
          String.format(
              Locale.ROOT,
              "ok  %s  %,d rows (%,d quarantined)",
              seconds,
              run.rowsWritten(),
              run.rowsQuarantined());
    } else {
      outcome = "FAILED  " + seconds + "  " + run.error().orElse(run.status());
    }
    return String.format(
        Locale.ROOT, "%s %-" + Math.max(1, nameWidth) + "s  %s", counter, run.job(), outcome);
  }
}
