package com.acme.warehouse.common.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.warehouse.common.config.InvalidConfigException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JobRegistryTest {
  private static JobDefinition job(
      String name, Layer layer, String domain, String[] in, String... out) {
    return JobDefinition.builder(name)
        .layer(layer)
        .domain(domain)
        .inputs(in)
        .outputs(out)
        .factory((config, app) -> context -> JobResult.empty())
        .build();
  }

  private static String[] in(String... tables) {
    return tables;
  }

  private static List<String> names(List<JobDefinition> jobs) {
    return jobs.stream().map(JobDefinition::name).collect(Collectors.toList());
  }

  @Test
  void jobsComeAfterTheProducersOfTheirInputsWhateverTheRegistrationOrder() {
    JobRegistry registry =
        new JobRegistry(
            List.of(
                job(
                    "shop-gold-sales",
                    Layer.GOLD,
                    "shop",
                    in("silver.shop.orders", "silver.shop.customers"),
                    "gold.shop.sales"),
                job(
                    "shop-silver-orders",
                    Layer.SILVER,
                    "shop",
                    in("bronze.shop.orders"),
                    "silver.shop.orders"),
                job(
                    "shop-bronze-orders",
                    Layer.BRONZE,
                    "shop",
                    in("raw.shop.orders"),
                    "bronze.shop.orders"),
                job(
                    "shop-silver-customers",
                    Layer.SILVER,
                    "shop",
                    in("raw.shop.customers"),
                    "silver.shop.customers"),
                job("snapshot", Layer.UTILITY, null, in())));

    assertThat(names(registry.jobs()))
        .containsExactly(
            "shop-bronze-orders",
            "shop-silver-orders",
            "shop-silver-customers",
            "shop-gold-sales",
            "snapshot");
  }

  @Test
  void pipelineSelectsByDomainAndLayerAndLeavesUtilitiesOut() {
    JobRegistry registry =
        new JobRegistry(
            List.of(
                job("a-bronze-x", Layer.BRONZE, "a", in("raw.a.x"), "bronze.a.x"),
                job("a-silver-x", Layer.SILVER, "a", in("bronze.a.x"), "silver.a.x"),
                job("b-bronze-y", Layer.BRONZE, "b", in("raw.b.y"), "bronze.b.y"),
                job("generate-sample-data", Layer.UTILITY, null, in())));

    assertThat(names(registry.pipeline(Optional.empty(), Optional.empty())))
        .containsExactly("a-bronze-x", "a-silver-x", "b-bronze-y");
    assertThat(names(registry.pipeline(Optional.of("a"), Optional.empty())))
        .containsExactly("a-bronze-x", "a-silver-x");
    assertThat(names(registry.pipeline(Optional.empty(), Optional.of(Layer.BRONZE))))
        .containsExactly("a-bronze-x", "b-bronze-y");
    assertThat(registry.domains()).containsExactly("a", "b");
  }

  @Test
  void aJobReadingItsOwnOutputIsNotACycle() {
    JobRegistry registry =
        new JobRegistry(
            List.of(
                job("a-silver-x", Layer.SILVER, "a", in("raw.a.x", "silver.a.x"), "silver.a.x")));

    assertThat(names(registry.jobs())).containsExactly("a-silver-x");
  }

  @Test
  void aCycleIsAConfigurationErrorThatShowsTheLoop() {
    List<JobDefinition> jobs =
        List.of(
            job("a-silver-x", Layer.SILVER, "a", in("silver.a.z"), "silver.a.x"),
            job("a-silver-y", Layer.SILVER, "a", in("silver.a.x"), "silver.a.y"),
            job("a-silver-z", Layer.SILVER, "a", in("silver.a.y"), "silver.a.z"));

    assertThatThrownBy(() -> new JobRegistry(jobs))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("cycle")
        .hasMessageContaining("a-silver-x -> a-silver-z -> a-silver-y -> a-silver-x");
  }

  @Test
  void everyInputThatNoJobProducesIsReported() {
    List<JobDefinition> jobs =
        List.of(
            job("a-silver-x", Layer.SILVER, "a", in("bronze.a.x"), "silver.a.x"),
            job("a-gold-y", Layer.GOLD, "a", in("silver.a.x", "silver.a.missing"), "gold.a.y"));

    assertThatThrownBy(() -> new JobRegistry(jobs))
        .isInstanceOf(InvalidConfigException.class)
        .satisfies(
            e ->
                assertThat(((InvalidConfigException) e).problems())
                    .containsExactly(
                        "job 'a-silver-x' reads bronze.a.x, which no job produces",
                        "job 'a-gold-y' reads silver.a.missing, which no job produces"));
  }

  @Test
  void twoProducersOfOneTableAndDuplicateNamesAreErrors() {
    List<JobDefinition> jobs =
        List.of(
            job("a-silver-x", Layer.SILVER, "a", in("raw.a.x"), "silver.a.x"),
            job("a-silver-x2", Layer.SILVER, "a", in("raw.a.x"), "silver.a.x"),
            job("a-silver-x", Layer.SILVER, "a", in("raw.a.x"), "silver.a.other"));

    assertThatThrownBy(() -> new JobRegistry(jobs))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("job 'a-silver-x' is registered twice")
        .hasMessageContaining("silver.a.x is produced by both 'a-silver-x' and 'a-silver-x2'");
  }

  @Test
  void namesAreKebabCaseAndStartWithTheirDomain() {
    assertThatThrownBy(() -> job("Mentoring_Users", Layer.SILVER, null, in()))
        .hasMessageContaining("must be kebab-case");
    assertThatThrownBy(() -> job("silver-users", Layer.SILVER, "mentoring", in()))
        .hasMessageContaining("must begin with its domain 'mentoring-'");
  }

  @Test
  void tableIdsParseAndRejectBadNames() {
    assertThat(TableId.parse("silver.mentoring.sessions").domain()).contains("mentoring");
    assertThat(TableId.parse("_ops.run_log").domain()).isEmpty();
    assertThat(TableId.parse("raw.mentoring.users").isExternal()).isTrue();
    assertThatThrownBy(() -> TableId.parse("silver.sessions"))
        .hasMessageContaining("is not <layer>.<domain>.<table>");
    assertThatThrownBy(() -> TableId.parse("silver.Mentoring.sessions"))
        .hasMessageContaining("domain 'Mentoring'");
  }
}
