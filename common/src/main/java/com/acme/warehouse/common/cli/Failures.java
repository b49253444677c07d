package com.acme.warehouse.common.cli;

import java.util.LinkedHashSet;
import java.util.Set;

/** Renders a failure as one line: the message of each exception in the cause chain. */
final class Failures {
  private Failures() {}

  static String oneLine(Throwable failure) {
    Set<String> parts = new LinkedHashSet<>();
    for (Throwable t = failure; t != null && parts.size() < 5; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage();
      // Our exceptions say what and where; for others the type is part of the story.
      if (!t.getClass().getName().startsWith("com.acme.warehouse.")) {
        message = t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
      }
      parts.add(message.replaceAll("\\s*\\R\\s*", " | ").trim());
    }
    return String.join("; caused by: ", parts);
  }
}
