package com.acme.warehouse.common.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.config.ConfigReader;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A contract's fields as configured, and each mistake in them a problem naming its key. */
class FieldSpecTest {
  private static ConfigReader source(String fields) {
    return new ConfigReader(ConfigFactory.parseString("s.fields = " + fields).resolve()).at("s");
  }

  @Test
  void aFieldsLetterCaseIsReadAndAppliesToStringsOnly() {
    ConfigReader ok =
        source("[{name = tier, required = true, case = title, values = [Gold]}, {name = n}]");
    List<FieldSpec> fields = FieldSpec.readAll(ok);
    assertThat(ok.problems()).isEmpty();
    assertThat(fields.get(0).letterCase()).isEqualTo(FieldSpec.LetterCase.TITLE);
    assertThat(fields.get(0).required()).isTrue();
    assertThat(fields.get(0).values()).containsExactly("Gold");
    assertThat(fields.get(1).letterCase()).isEqualTo(FieldSpec.LetterCase.KEEP);
    assertThat(fields.get(1).type()).isEqualTo("string");

    ConfigReader bad =
        source("[{name = a, case = shouting}, {name = b, type = int, case = lower}, {name = a}]");
    FieldSpec.readAll(bad);
    assertThat(bad.problems())
        .containsExactly(
            "s.fields[0]: case: 'shouting' is not one of [lower, title, upper] (from String: 1)",
            "s.fields[1].case: applies to string fields only, not int",
            "s.fields[2].name: 'a' appears twice");
  }
}
