package com.acme.warehouse.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;
  private ConfigLoader loader;

  @BeforeEach
  void writeLayers() throws IOException {
    write(
        "application.conf",
        "a = base\nb = base\nc = base\nd = base\n"
            + "root = \"/base\"\nderived = ${root}\"/child\"\n"
            + "list = [x]\n"
            + "spark.conf { spark.x = 1 }\n"
            + "config.open-sections = [\"spark.conf\"]\n");
    write("test.conf", "include \"application.conf\"\nb = env\nc = env\nd = env\n");
    loader = ConfigLoader.fromDirectory(dir);
  }

  @Test
  void setWinsOverConfFileWhichWinsOverEnvWhichWinsOverBase() throws IOException {
    Path file = write("extra.conf", "c = file\nd = file\n");

    Config config = loader.load(ConfigSources.of("test", file, Map.of("d", "set")));

    assertThat(config.getString("a")).isEqualTo("base");
    assertThat(config.getString("b")).isEqualTo("env");
    assertThat(config.getString("c")).isEqualTo("file");
    assertThat(config.getString("d")).isEqualTo("set");
  }

  @Test
  void laterSetWinsOverEarlierSet() {
    Map<String, String> sets = new LinkedHashMap<>();
    sets.put("a", "first");
    Config config =
        loader.load(ConfigSources.of(null, null, sets).withOverrides(Map.of("a", "second")));

    assertThat(config.getString("a")).isEqualTo("second");
  }

  @Test
  void substitutionsResolveAfterOverridesSoDerivedKeysFollow() {
    Config config = loader.load(ConfigSources.of(null, null, Map.of("root", "/elsewhere")));

    assertThat(config.getString("derived")).isEqualTo("/elsewhere/child");
  }

  @Test
  void setValuesAreStringsSoUrlsSurviveAndBracketsParseAsLists() {
    Config config =
        loader.load(ConfigSources.of(null, null, Map.of("a", "gs://bucket/raw", "list", "[p, q]")));

    assertThat(config.getString("a")).isEqualTo("gs://bucket/raw");
    assertThat(config.getStringList("list")).containsExactly("p", "q");
  }

  @Test
  void setOfUnknownKeyIsRejectedWithItsName() {
    assertThatThrownBy(() -> loader.load(ConfigSources.of(null, null, Map.of("pahts.raw", "/x"))))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--set pahts.raw: unknown key");
  }

  @Test
  void setUnderAnOpenSectionMayAddKeys() {
    Config config =
        loader.load(ConfigSources.of(null, null, Map.of("spark.conf.spark.sql.foo", "bar")));

    assertThat(config.getString("spark.conf.spark.sql.foo")).isEqualTo("bar");
  }

  @Test
  void unknownEnvironmentNamesTheMissingFile() {
    assertThatThrownBy(() -> loader.load(ConfigSources.of("staging", null, Map.of())))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--env staging")
        .hasMessageContaining("staging.conf");
  }

  @Test
  void missingConfFileIsNamed() {
    Path missing = dir.resolve("nope.conf");
    assertThatThrownBy(() -> loader.load(ConfigSources.of(null, missing, Map.of())))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("--conf-file")
        .hasMessageContaining(missing.toString());
  }

  @Test
  void syntaxErrorNamesFileAndLine() throws IOException {
    Path broken = write("broken.conf", "a = 1\nb = = 2\nc = 3\n");

    assertThatThrownBy(() -> loader.load(ConfigSources.of(null, broken, Map.of())))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("broken.conf")
        .hasMessageContaining("broken.conf: 2:");
  }

  @Test
  void theRepositorysOwnFilesLoadAndValidate() {
    ConfigLoader repo = ConfigLoader.fromDirectory(Path.of("..", "conf"));
    ConfigReader reader = new ConfigReader(repo.load(ConfigSources.defaults()));

    AppConfig app = AppConfig.from(reader);

    assertThat(reader.problems()).isEmpty();
    assertThat(app.goldSink()).isEqualTo("delta");
    assertThat(app.paths().warehouse()).endsWith("/data/warehouse").startsWith("/");
    assertThat(app.spark().settings()).containsEntry("spark.sql.session.timeZone", "UTC");
  }

  @Test
  void dataprocWithoutItsEnvironmentReportsEveryMissingSettingAtOnce() {
    ConfigLoader repo = ConfigLoader.fromDirectory(Path.of("..", "conf"));
    // The variables are absent in the test JVM; --set empties them in case a developer has them.
    ConfigReader reader =
        new ConfigReader(
            repo.load(
                ConfigSources.of("dataproc", null, Map.of("gcp.bucket", "", "gcp.project", ""))));

    AppConfig.from(reader);

    List<String> problems = reader.problems();
    assertThat(problems)
        .anySatisfy(p -> assertThat(p).startsWith("paths.raw: 'gs:///raw' has no bucket name"))
        .anySatisfy(
            p -> assertThat(p).startsWith("paths.warehouse: 'gs:///warehouse' has no bucket"))
        .anySatisfy(
            p ->
                assertThat(p).startsWith("bigquery.project: must be set when gold.sink = bigquery"))
        .anySatisfy(p -> assertThat(p).startsWith("bigquery.temporary-gcs-bucket: must be set"));
    assertThatThrownBy(reader::throwIfInvalid)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageStartingWith("invalid configuration (4 problems):");
  }

  @Test
  void dataprocWithItsEnvironmentPointsAtTheBucketAndBigQuery() {
    ConfigLoader repo = ConfigLoader.fromDirectory(Path.of("..", "conf"));
    ConfigReader reader =
        new ConfigReader(
            repo.load(
                ConfigSources.of(
                    "dataproc", null, Map.of("gcp.bucket", "acme-lake", "gcp.project", "acme"))));

    AppConfig app = AppConfig.from(reader);

    assertThat(reader.problems()).isEmpty();
    assertThat(app.paths().raw()).isEqualTo("gs://acme-lake/raw");
    assertThat(app.paths().warehouse()).isEqualTo("gs://acme-lake/warehouse");
    assertThat(app.goldSink()).isEqualTo("bigquery");
    assertThat(app.spark().master()).isEmpty();
    assertThat(app.spark().settings()).containsEntry("spark.sql.shuffle.partitions", "200");
  }

  private Path write(String name, String text) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, text);
    return file;
  }
}
