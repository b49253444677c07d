package com.acme.warehouse.common.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class DataFrameAssertTest extends SparkTestBase {
  private static final String DDL = "id BIGINT, name STRING, amount DECIMAL(10,2)";

  @Test
  void rowOrderAndColumnOrderDoNotMatter() {
    assertThatCode(
            () ->
                assertSameRows(
                    df(
                        DDL,
                        "{\"id\":1,\"name\":\"a\",\"amount\":1.50}",
                        "{\"id\":2,\"name\":\"b\"}"),
                    df(DDL, "{\"id\":2,\"name\":\"b\"}", "{\"id\":1,\"name\":\"a\",\"amount\":1.5}")
                        .select("amount", "name", "id")))
        .doesNotThrowAnyException();
  }

  @Test
  void aDifferentCellIsNamedByRowAndColumn() {
    assertThatThrownBy(
            () ->
                assertSameRows(
                    df(DDL, "{\"id\":1,\"name\":\"a\",\"amount\":1.50}"),
                    df(DDL, "{\"id\":1,\"name\":\"a\",\"amount\":1.51}")))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessageContaining(
            "row 0 (of 1, sorted) differs in column 'amount': expected 1.50 but was 1.51");
  }

  @Test
  void missingAndUnexpectedRowsAreListed() {
    assertThatThrownBy(
            () ->
                assertSameRows(
                    df(DDL, "{\"id\":1,\"name\":\"a\"}", "{\"id\":2,\"name\":\"b\"}"),
                    df(DDL, "{\"id\":1,\"name\":\"a\"}")))
        .hasMessageContaining("expected 2 rows but got 1")
        .hasMessageContaining("missing rows:    [[2,b,null]]");
  }

  @Test
  void schemaDifferencesAreNamed() {
    assertThatThrownBy(
            () ->
                assertSameRows(
                    df(DDL, "{\"id\":1}"), df("id INT, name STRING, extra STRING", "{\"id\":1}")))
        .hasMessageContaining("column 'id' is int, expected bigint")
        .hasMessageContaining("missing column 'amount'")
        .hasMessageContaining("unexpected column 'extra'");
  }
}
