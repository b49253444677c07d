package com.acme.warehouse.jobs.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CsvSplitterTest {
  @Test
  void splitsQuotedFieldsWithCommasQuotesAndLineBreaks() {
    assertThat(CsvSplitter.split("1,\"Lee, Bob\",\"say \"\"hi\"\"\",\"a\nb\","))
        .containsExactly("1", "Lee, Bob", "say \"hi\"", "a\nb", "");
    assertThat(CsvSplitter.split(" a , b ")).containsExactly(" a ", " b ");
    assertThat(CsvSplitter.split("")).containsExactly("");
  }

  @Test
  void aMisplacedQuoteIsNotCsv() {
    assertThat(CsvSplitter.split("1,bad\"quote,2")).isNull();
    assertThat(CsvSplitter.split("1,\"closed\"then,2")).isNull();
    assertThat(CsvSplitter.split("1,\"never closed")).isNull();
  }

  @Test
  void onlyAQuoteAtTheStartOfAFieldOpensIt() {
    assertThat(CsvSplitter.isOpen("1,\"two")).isTrue();
    assertThat(CsvSplitter.isOpen("1,\"two\nlines\",3")).isFalse();
    assertThat(CsvSplitter.isOpen("1,\"say \"\"hi")).isTrue();
    assertThat(CsvSplitter.isOpen("4,bad\"quote,5")).isFalse();
  }
}
