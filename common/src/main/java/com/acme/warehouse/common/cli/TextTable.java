package com.acme.warehouse.common.cli;

import java.util.List;

/** Plain-text tables for the terminal: the first row is the header. */
final class TextTable {
  private TextTable() {}

  /** Columns before {@code leftAligned} are left-aligned (names), the rest right-aligned. */
  static String format(List<String[]> rows, int leftAligned) {
    int columns = rows.get(0).length;
    int[] widths = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        widths[c] = Math.max(widths[c], row[c].length());
      }
    }
    StringBuilder text = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int c = 0; c < columns; c++) {
        String pad = " ".repeat(widths[c] - row[c].length());
        line.append(c < leftAligned ? row[c] + pad : pad + row[c]).append("  ");
      }
      text.append(line.toString().stripTrailing()).append('\n');
    }
    return text.toString();
  }
}
