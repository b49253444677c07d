package com.acme.warehouse.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.jobs.testing.JobsCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The graph of the suite's real manifest: {@code lineage} as documented in docs/lineage.md, and
 * {@code pipeline --select/--exclude} resolved on it (as a dry run: nothing is read or written, no
 * Spark is needed).
 */
class LineageAndSelectionTest {
  private static final Pattern PLANNED =
      Pattern.compile("(?m)^([a-z0-9-]+) \\[[a-z]+, [a-z]+\\] mode:");

  private final JobsCli cli = new JobsCli(null, "/nonexistent/raw", "/nonexistent/warehouse");

  private List<String> plan(String... selection) {
    List<String> args = new ArrayList<>(List.of("pipeline", "--dry-run"));
    args.addAll(List.of(selection));
    assertThat(cli.run(args.toArray(new String[0]))).as(cli.err()).isEqualTo(0);
    List<String> jobs = new ArrayList<>();
    Matcher planned = PLANNED.matcher(cli.out());
    while (planned.find()) {
      jobs.add(planned.group(1));
    }
    return jobs;
  }

  @Test
  void theMermaidGraphInTheDocsIsTheManifests() throws IOException {
    String docs = Files.readString(Path.of("..", "docs", "lineage.md"));
    Matcher block = Pattern.compile("(?s)```mermaid\n(.*?)```").matcher(docs);
    assertThat(block.find()).as("a mermaid block in docs/lineage.md").isTrue();

    assertThat(cli.run("lineage")).as(cli.err()).isEqualTo(0);

    assertThat(cli.out())
        .as("docs/lineage.md is out of date: replace its block with `lineage`'s output")
        .isEqualTo(block.group(1));
    assertThat(cli.out())
        .contains("  t_silver_commerce_orders[(\"silver.commerce.orders\")]:::silver\n")
        .contains("  j_commerce_gold_gmv([\"commerce-gold-gmv\"]):::gold\n")
        .contains("  t_silver_commerce_orders --> j_commerce_gold_gmv\n")
        .contains("  j_commerce_gold_gmv --> t_gold_commerce_gmv_monthly\n");
  }

  @Test
  void dotAndJsonCarryTheSameEdges() throws IOException {
    assertThat(cli.run("lineage", "--format", "dot")).isEqualTo(0);
    assertThat(cli.out())
        .startsWith("digraph lineage {")
        .contains("  \"silver.commerce.orders\" -> \"commerce-gold-gmv\";\n");

    assertThat(cli.run("lineage", "--format", "json")).isEqualTo(0);
    JsonNode graph = new ObjectMapper().readTree(cli.out());
    List<String> edges = new ArrayList<>();
    graph
        .get("edges")
        .forEach(e -> edges.add(e.get("from").asText() + " -> " + e.get("to").asText()));
    assertThat(edges)
        .contains("silver.commerce.orders -> commerce-gold-gmv")
        .contains("commerce-gold-gmv -> gold.commerce.gmv_monthly")
        .contains("raw.mentoring.users -> mentoring-bronze-users");

    assertThat(cli.run("lineage", "--format", "svg")).isEqualTo(2);
    assertThat(cli.err()).contains("--format: 'svg' is not mermaid, dot or json");
  }

  @Test
  void plusBeforeANameSelectsItAndEverythingUpstream() {
    assertThat(plan("--select", "+gold.commerce.gmv_monthly"))
        .containsExactly(
            "commerce-bronze-customer",
            "commerce-bronze-lineitem",
            "commerce-bronze-nation",
            "commerce-bronze-order-deletes",
            "commerce-bronze-orders",
            "commerce-bronze-part",
            "commerce-bronze-region",
            "commerce-bronze-supplier",
            "commerce-silver-customer",
            "commerce-silver-supplier",
            "commerce-silver-part",
            "commerce-silver-nation",
            "commerce-silver-region",
            "commerce-silver-orders",
            "commerce-gold-dimensions",
            "commerce-gold-order-lines",
            "commerce-gold-gmv");
    // Without the operator: only the job that writes the table.
    assertThat(plan("--select", "gold.commerce.gmv_monthly")).containsExactly("commerce-gold-gmv");
  }

  @Test
  void plusAfterANameSelectsItAndEverythingDownstreamAndExcludeTakesJobsOut() {
    assertThat(plan("--select", "silver.mentoring.users+"))
        .containsExactly(
            "mentoring-silver-users",
            "mentoring-gold-dimensions",
            "mentoring-gold-facts",
            "mentoring-gold-reports");
    assertThat(plan("--select", "silver.mentoring.users+", "--exclude", "mentoring-gold-reports"))
        .containsExactly(
            "mentoring-silver-users", "mentoring-gold-dimensions", "mentoring-gold-facts");
    // A raw extract stands for the jobs that read it; a list and a job name mix.
    assertThat(plan("--select", "raw.agents.agents,agents-gold-facts"))
        .containsExactly("agents-bronze-agents", "agents-gold-facts");
    assertThat(plan("--domain", "agents", "--exclude", "+agents-silver-agents"))
        .doesNotContain("agents-bronze-agents", "agents-silver-agents")
        .contains("agents-silver-queries", "agents-gold-facts");
  }

  @Test
  void anUnknownNameIsBadUsageNamingIt() {
    assertThat(cli.run("pipeline", "--dry-run", "--select", "+gold.commerce.gmv_yearly"))
        .isEqualTo(2);
    assertThat(cli.err()).contains("--select: unknown job or table 'gold.commerce.gmv_yearly'");
    assertThat(cli.run("pipeline", "--dry-run", "--exclude", "commerce-gold-everything"))
        .isEqualTo(2);
    assertThat(cli.err()).contains("--exclude: unknown job or table 'commerce-gold-everything'");
  }
}
