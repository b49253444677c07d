package com.acme.warehouse.common.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The configuration (or the job graph built from it) is unusable. Carries every problem found, each
 * naming its full key path, so a user fixes them all in one round.
 */
public class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public InvalidConfigException(List<String> problems) {
    super(render(problems));
    this.problems = Collections.unmodifiableList(new ArrayList<>(problems));
  }

  public InvalidConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }

  private static String render(List<String> problems) {
    if (problems.size() == 1) {
      return "invalid configuration: " + problems.get(0);
    }
    StringBuilder text =
        new StringBuilder("invalid configuration (" + problems.size() + " problems):");
    for (String problem : problems) {
      text.append("\n  - ").append(problem);
    }
    return text.toString();
  }
}
