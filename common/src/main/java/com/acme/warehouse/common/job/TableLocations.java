package com.acme.warehouse.common.job;

import com.acme.warehouse.common.config.PathsConfig;

/**
 * Maps table ids to storage: {@code <paths.warehouse>/<layer>/<domain>/<table>}, operational tables
 * under {@code <paths.warehouse>/_ops/<table>}, raw extracts under {@code
 * <paths.raw>/<domain>/<source>}. The one place these layouts are written down.
 */
public final class TableLocations {
  private final PathsConfig paths;

  public TableLocations(PathsConfig paths) {
    this.paths = paths;
  }

  public String of(TableId table) {
    if (table.isExternal()) {
      return paths.raw() + "/" + table.domain().orElseThrow() + "/" + table.name();
    }
    if (table.domain().isEmpty()) {
      return paths.warehouse() + "/" + table.layer() + "/" + table.name();
    }
    return paths.warehouse()
        + "/"
        + table.layer()
        + "/"
        + table.domain().get()
        + "/"
        + table.name();
  }

  public String runLog() {
    return of(TableId.ops("run_log"));
  }

  /** The effective configurations runs used (see {@code ConfigLog}). */
  public String configs() {
    return of(TableId.ops("configs"));
  }

  /** Which run may write each job's tables now (see {@code JobLeases}). */
  public String jobLeases() {
    return of(TableId.ops("job_leases"));
  }
}
