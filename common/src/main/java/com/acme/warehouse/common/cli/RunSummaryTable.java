package com.acme.warehouse.common.cli;

import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.ops.RunRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The table printed at the end of a pipeline: one line per selected job. */
final class RunSummaryTable {
  private RunSummaryTable() {}

  static String render(List<RunRecord> runs, List<JobDefinition> notRun) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"JOB", "STATUS", "READ", "WRITTEN", "QUARANTINED", "SECONDS"});
    long read = 0;
    long written = 0;
    long quarantined = 0;
    double seconds = 0;
    for (RunRecord run : runs) {
      double took = run.duration().toMillis() / 1000.0;
      rows.add(
          new String[] {
            run.job(),
            run.status(),
            Long.toString(run.rowsRead()),
            Long.toString(run.rowsWritten()),
            Long.toString(run.rowsQuarantined()),
            String.format(Locale.ROOT, "%.1f", took)
          });
      read += run.rowsRead();
      written += run.rowsWritten();
      quarantined += run.rowsQuarantined();
      seconds += took;
    }
    for (JobDefinition job : notRun) {
      rows.add(new String[] {job.name(), "not run", "", "", "", ""});
    }
    rows.add(
        new String[] {
          "total (" + runs.size() + (runs.size() == 1 ? " run)" : " runs)"),
          "",
          Long.toString(read),
          Long.toString(written),
          Long.toString(quarantined),
          String.format(Locale.ROOT, "%.1f", seconds)
        });
    return TextTable.format(rows, 2);
  }
}
