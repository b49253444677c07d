package com.acme.warehouse.common.cli;

import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.TableId;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The pipeline's lineage from its manifest: jobs and the tables they read and write, coloured by
 * layer, as Mermaid (rendered by GitHub and most Markdown viewers), Graphviz dot or JSON. A pure
 * function of the job definitions, so the graph in the docs can be compared with it in a test.
 */
final class Lineage {
  enum Format {
    MERMAID,
    DOT,
    JSON
  }

  /** Fill and stroke per layer; raw extracts grey, operational tables none. */
  private static final Map<String, String[]> COLOURS =
      Map.of(
          "raw", new String[] {"#eeeeee", "#888888"},
          "bronze", new String[] {"#f2d4b0", "#a86b2d"},
          "silver", new String[] {"#dfe5ec", "#6f8196"},
          "gold", new String[] {"#f6e38c", "#a88a10"},
          "publish", new String[] {"#cfe3fa", "#2f6db5"},
          "utility", new String[] {"#ffffff", "#555555"});

  private final List<JobDefinition> jobs;

  Lineage(List<JobDefinition> jobs) {
    this.jobs = jobs;
  }

  String render(Format format) {
    switch (format) {
      case DOT:
        return dot();
      case JSON:
        return json();
      default:
        return mermaid();
    }
  }

  private Set<TableId> tables() {
    Set<TableId> tables = new LinkedHashSet<>();
    for (JobDefinition job : jobs) {
      tables.addAll(job.inputs());
      tables.addAll(job.outputs());
    }
    return tables;
  }

  private static String id(String prefix, String name) {
    return prefix + "_" + name.replaceAll("[^A-Za-z0-9]", "_");
  }

  private String mermaid() {
    StringBuilder text = new StringBuilder("flowchart LR\n");
    for (String layer : List.of("raw", "bronze", "silver", "gold", "publish", "utility")) {
      String[] colour = COLOURS.get(layer);
      text.append(
          String.format(
              Locale.ROOT,
              "  classDef %s fill:%s,stroke:%s,color:#222222%n",
              layer,
              colour[0],
              colour[1]));
    }
    for (TableId table : tables()) {
      text.append(
          String.format(
              Locale.ROOT,
              "  %s[(\"%s\")]:::%s%n",
              id("t", table.toString()),
              table,
              COLOURS.containsKey(table.layer()) ? table.layer() : "utility"));
    }
    for (JobDefinition job : jobs) {
      text.append(
          String.format(
              Locale.ROOT,
              "  %s([\"%s\"]):::%s%n",
              id("j", job.name()),
              job.name(),
              job.layer().id()));
    }
    for (JobDefinition job : jobs) {
      for (TableId input : job.inputs()) {
        text.append("  ").append(id("t", input.toString())).append(" --> ");
        text.append(id("j", job.name())).append('\n');
      }
      for (TableId output : job.outputs()) {
        text.append("  ").append(id("j", job.name())).append(" --> ");
        text.append(id("t", output.toString())).append('\n');
      }
    }
    return text.toString();
  }

  private String dot() {
    StringBuilder text = new StringBuilder("digraph lineage {\n  rankdir=LR;\n");
    for (TableId table : tables()) {
      String[] colour = COLOURS.getOrDefault(table.layer(), COLOURS.get("utility"));
      text.append(
          String.format(
              Locale.ROOT,
              "  \"%s\" [shape=cylinder, style=filled, fillcolor=\"%s\", color=\"%s\"];%n",
              table,
              colour[0],
              colour[1]));
    }
    for (JobDefinition job : jobs) {
      String[] colour = COLOURS.get(job.layer().id());
      text.append(
          String.format(
              Locale.ROOT,
              "  \"%s\" [shape=box, style=\"rounded,filled\", fillcolor=\"%s\", color=\"%s\"];%n",
              job.name(),
              colour[0],
              colour[1]));
    }
    for (JobDefinition job : jobs) {
      job.inputs().forEach(t -> text.append("  \"" + t + "\" -> \"" + job.name() + "\";\n"));
      job.outputs().forEach(t -> text.append("  \"" + job.name() + "\" -> \"" + t + "\";\n"));
    }
    return text.append("}\n").toString();
  }

  private static Map<String, Object> edge(String from, String to) {
    Map<String, Object> edge = new LinkedHashMap<>();
    edge.put("from", from);
    edge.put("to", to);
    return edge;
  }

  private String json() {
    List<Map<String, Object>> nodes = new ArrayList<>();
    for (TableId table : tables()) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("id", table.toString());
      node.put("kind", "table");
      node.put("layer", table.layer());
      nodes.add(node);
    }
    List<Map<String, Object>> edges = new ArrayList<>();
    for (JobDefinition job : jobs) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("id", job.name());
      node.put("kind", "job");
      node.put("layer", job.layer().id());
      nodes.add(node);
      job.inputs().forEach(t -> edges.add(edge(t.toString(), job.name())));
      job.outputs().forEach(t -> edges.add(edge(job.name(), t.toString())));
    }
    Map<String, Object> graph = new LinkedHashMap<>();
    graph.put("nodes", nodes);
    graph.put("edges", edges);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(graph)
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
