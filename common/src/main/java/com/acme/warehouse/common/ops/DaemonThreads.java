package com.acme.warehouse.common.ops;

import java.util.concurrent.ThreadFactory;

/** Threads of the driver's housekeeping (timers, lease renewals), which never keep a JVM alive. */
public final class DaemonThreads {
  private DaemonThreads() {}

  public static ThreadFactory named(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
