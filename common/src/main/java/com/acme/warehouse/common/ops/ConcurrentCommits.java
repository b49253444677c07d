package com.acme.warehouse.common.ops;

/** Recognises Delta refusing a commit because another writer committed to the same table first. */
public final class ConcurrentCommits {
  private ConcurrentCommits() {}

  /** Whether the failure, or any of its causes, is Delta's concurrent-modification refusal. */
  public static boolean causedBy(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof io.delta.exceptions.DeltaConcurrentModificationException
          || t instanceof org.apache.spark.sql.delta.DeltaConcurrentModificationException) {
        return true;
      }
    }
    return false;
  }
}
