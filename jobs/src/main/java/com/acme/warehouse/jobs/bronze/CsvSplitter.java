package com.acme.warehouse.jobs.bronze;

import java.util.ArrayList;
import java.util.List;

/**
 * RFC 4180 fields of one CSV record: comma-separated, a field in double quotes may hold commas,
 * line breaks and doubled quotes. Whitespace is kept as it arrived.
 */
final class CsvSplitter {
  private CsvSplitter() {}

  /**
   * True when the text so far ends inside a quoted field, so the record continues on the next line.
   * Only a quote at the start of a field opens one; a stray quote inside an unquoted field does not
   * (the record is then malformed, not merged with the lines after it).
   */
  static boolean isOpen(String text) {
    boolean inQuotes = false;
    boolean fieldStart = true;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inQuotes) {
        if (c == '"') {
          if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
            i++;
          } else {
            inQuotes = false;
          }
        }
      } else if (c == '"' && fieldStart) {
        inQuotes = true;
        fieldStart = false;
      } else {
        fieldStart = c == ',';
      }
    }
    return inQuotes;
  }

  /**
   * The fields of a complete record, or null when it is not valid CSV (a quote inside an unquoted
   * field, or text after a closing quote).
   */
  static List<String> split(String record) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    int i = 0;
    int n = record.length();
    while (true) {
      if (i < n && record.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            return null; // unterminated quote
          }
          char c = record.charAt(i++);
          if (c == '"') {
            if (i < n && record.charAt(i) == '"') {
              field.append('"');
              i++;
            } else {
              break;
            }
          } else {
            field.append(c);
          }
        }
        if (i < n && record.charAt(i) != ',') {
          return null; // text after the closing quote
        }
      } else {
        while (i < n && record.charAt(i) != ',') {
          char c = record.charAt(i++);
          if (c == '"') {
            return null; // a quote inside an unquoted field
          }
          field.append(c);
        }
      }
      fields.add(field.toString());
      field.setLength(0);
      if (i >= n) {
        return fields;
      }
      i++; // the ','
    }
  }
}
