package com.acme.warehouse.jobs.sampledata;

/** RFC 4180 lines: a field is quoted only when it holds a comma, quote or line break. */
final class Csv {
  private Csv() {}

  static String line(String... fields) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < fields.length; i++) {
      if (i > 0) {
        text.append(',');
      }
      String field = fields[i] == null ? "" : fields[i];
      if (field.indexOf(',') >= 0
          || field.indexOf('"') >= 0
          || field.indexOf('\n') >= 0
          || field.indexOf('\r') >= 0) {
        text.append('"').append(field.replace("\"", "\"\"")).append('"');
      } else {
        text.append(field);
      }
    }
    return text.toString();
  }
}
