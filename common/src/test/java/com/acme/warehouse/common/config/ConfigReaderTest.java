package com.acme.warehouse.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {
  private static ConfigReader reader(String hocon) {
    return new ConfigReader(
        ConfigFactory.parseString(
                hocon, ConfigParseOptions.defaults().setOriginDescription("test.conf"))
            .resolve());
  }

  @Test
  void anInstantIsAnIsoInstantOrAPlainDateAtMidnightUtc() {
    ConfigReader config =
        reader("at = \"2024-02-01T06:30:00Z\"\nday = \"2024-02-01\"\nbad = \"Feb 1\"\nnone = \"\"");

    assertThat(config.optionalInstant("at")).contains(Instant.parse("2024-02-01T06:30:00Z"));
    assertThat(config.optionalInstant("day")).contains(Instant.parse("2024-02-01T00:00:00Z"));
    assertThat(config.optionalInstant("none")).isEmpty();
    assertThat(config.optionalInstant("missing")).isEmpty();
    assertThat(config.problems()).isEmpty();
    assertThat(config.optionalInstant("bad")).isEmpty();
    assertThat(config.problems())
        .containsExactly(
            "bad: 'Feb 1' is not an instant (2024-02-01T00:00:00Z) or a date (2024-02-01,"
                + " midnight UTC) (from test.conf: 3)");
  }

  @Test
  void everyBadKeyIsReportedAtOnceWithItsFullPathAndOrigin() {
    ConfigReader config =
        reader(
            "mentoring {\n"
                + "  window = \"thirty\"\n"
                + "  share = 1.5\n"
                + "  mode = fast\n"
                + "}\n");
    ConfigReader section = config.at("mentoring");

    section.intInRange("window", 1, 365);
    section.doubleInRange("share", 0, 1);
    section.oneOf("mode", Set.of("incremental", "full"));
    section.nonEmptyString("owner");

    assertThat(config.problems())
        .containsExactly(
            "mentoring.window: expected a whole number, got \"thirty\" (from test.conf: 2)",
            "mentoring.share: 1.5 is outside [0.0, 1.0] (from test.conf: 3)",
            "mentoring.mode: 'fast' is not one of [full, incremental] (from test.conf: 4)",
            "mentoring.owner: missing");
    assertThatThrownBy(config::throwIfInvalid)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("4 problems")
        .hasMessageContaining("mentoring.window")
        .hasMessageContaining("mentoring.owner: missing");
  }

  @Test
  void namesThatGoIntoSqlAreLettersDigitsAndUnderscoresOnly() {
    ConfigReader config =
        reader(
            "column = \"user_id`) OR (1=1\"\n"
                + "ok = user_id\n"
                + "columns = [tier, \"a.b\", \"9lives\", \"has space\", _v2]");

    assertThat(config.identifier("ok")).isEqualTo("user_id");
    config.identifier("column");
    config.identifierList("columns");

    assertThat(config.problems())
        .containsExactly(
            "column: 'user_id`) OR (1=1' is not a name: letters, digits and '_' only, not starting"
                + " with a digit, at most 128 (from test.conf: 1)",
            "columns: 'a.b' is not a name: letters, digits and '_' only, not starting with a"
                + " digit, at most 128 (from test.conf: 3)",
            "columns: '9lives' is not a name: letters, digits and '_' only, not starting with a"
                + " digit, at most 128 (from test.conf: 3)",
            "columns: 'has space' is not a name: letters, digits and '_' only, not starting with"
                + " a digit, at most 128 (from test.conf: 3)");
  }

  @Test
  void validValuesAreReturnedTyped() {
    ConfigReader config =
        reader("n = 30\nx = 0.25\nflag = true\nwait = 30 days\nnames = [a, b]\nname = \" v \"");

    assertThat(config.intInRange("n", 1, 365)).isEqualTo(30);
    assertThat(config.doubleInRange("x", 0, 1)).isEqualTo(0.25);
    assertThat(config.bool("flag")).isTrue();
    assertThat(config.duration("wait")).isEqualTo(Duration.ofDays(30));
    assertThat(config.stringList("names")).containsExactly("a", "b");
    assertThat(config.optionalString("absent")).isEmpty();
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void numbersGivenAsStringsOnTheCommandLineAreAccepted() {
    ConfigReader config = reader("n = \"42\"");

    assertThat(config.intInRange("n", 1, 100)).isEqualTo(42);
    assertThat(config.problems()).isEmpty();
  }

  @Test
  void crossKeyRulesNameTheKeyTheyFlag() {
    ConfigReader config = reader("a = 1");

    config.at("gold").problem("sink", "must be set when bigquery.project is set");

    assertThat(config.problems())
        .containsExactly("gold.sink: must be set when bigquery.project is set");
  }

  @Test
  void flatStringsTurnsNestedSparkSettingsIntoDottedKeys() {
    ConfigReader config =
        reader("conf { spark.sql.shuffle.partitions = 4, spark.sql.session.timeZone = UTC }");

    assertThat(config.flatStrings("conf"))
        .containsEntry("spark.sql.shuffle.partitions", "4")
        .containsEntry("spark.sql.session.timeZone", "UTC")
        .hasSize(2);
  }

  @Test
  void nullValuesAreProblemsNotCrashes() {
    ConfigReader config = reader("a = null");

    assertThat(config.string("a")).isEmpty();
    assertThat(config.problems()).containsExactly("a: must not be null");
  }
}
