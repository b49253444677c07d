package com.acme.warehouse.jobs.bronze;

import com.acme.warehouse.common.contract.FieldSpec;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the lines of one file into records of the source's contract, one format per subclass. A
 * record that cannot be parsed is still returned, flagged with the reason and its raw text; what
 * the file lacks or adds against the contract is counted in {@link FileStats}.
 */
abstract class RecordReader {
  /** Longest multi-line CSV record accepted before it is taken for an unterminated quote. */
  static final int MAX_LINES_PER_RECORD = 1000;

  final BronzeSource source;
  final String file;
  final RawLines lines;
  final FileStats stats = new FileStats();
  final Map<String, Integer> fieldIndex = new HashMap<>();

  RecordReader(BronzeSource source, String file, RawLines lines) {
    this.source = source;
    this.file = file;
    this.lines = lines;
    for (int i = 0; i < source.fields().size(); i++) {
      fieldIndex.put(source.fields().get(i).name(), i);
    }
  }

  static RecordReader of(BronzeSource source, String file, RawLines lines) {
    switch (source.format()) {
      case CSV:
        return new Csv(source, file, lines);
      case TBL:
        return new Tbl(source, file, lines);
      default:
        return new JsonLines(source, file, lines);
    }
  }

  /** One record, parsed or not. */
  static final class Record {
    final long line;
    final byte[] raw;
    final String rawText;
    final String[] values;
    final Map<String, String> extras;
    final String error;

    Record(
        long line,
        byte[] raw,
        String rawText,
        String[] values,
        Map<String, String> extras,
        String error) {
      this.line = line;
      this.raw = raw;
      this.rawText = rawText;
      this.values = values;
      this.extras = extras;
      this.error = error;
    }

    boolean malformed() {
      return error != null;
    }
  }

  /** The next record, or null at the end of the file. */
  abstract Record next() throws IOException;

  Record malformed(RawLines.Line line, String error) {
    return malformed(line.number, line.bytes, line.text, error);
  }

  Record malformed(long number, byte[] raw, String text, String error) {
    stats.malformed++;
    stats.records++;
    return new Record(number, raw, text, null, null, error);
  }

  Record parsed(long number, byte[] raw, String text, String[] values, Map<String, String> extras) {
    stats.records++;
    return new Record(number, raw, text, values, extras.isEmpty() ? null : extras, null);
  }

  /** A line that is blank or not UTF-8 is malformed in every format. */
  Record checkLine(RawLines.Line line) {
    if (!line.validUtf8) {
      stats.invalidUtf8++;
      return malformed(line, "not valid UTF-8");
    }
    if (line.text.isBlank()) {
      return malformed(line, "blank line");
    }
    return null;
  }

  void unknownField(String name, long line) {
    stats.unknownField(name);
    if (source.failOnUnknownField()) {
      throw new BronzeInputException(
          file
              + " line "
              + line
              + ": field '"
              + name
              + "' is not in the contract of "
              + source.table()
              + " (on-unknown-field = fail)");
    }
  }

  void missingRequired(String field, long line, boolean wholeFile) {
    stats.missingRequired(field, wholeFile);
    if (source.failOnMissingRequired()) {
      throw new BronzeInputException(
          file
              + (wholeFile ? "" : " line " + line)
              + ": required field '"
              + field
              + "' is missing"
              + (wholeFile ? " from the header" : "")
              + " ("
              + source.table()
              + ", on-missing-required = fail)");
    }
  }

  /** CSV with a header line; fields are matched to the contract by header name. */
  static final class Csv extends RecordReader {
    private int[] columnToField;
    private String[] columnNames;
    private String headerError;

    Csv(BronzeSource source, String file, RawLines lines) {
      super(source, file, lines);
    }

    @Override
    Record next() throws IOException {
      if (columnToField == null && headerError == null) {
        readHeader();
      }
      RawLines.Line first = lines.next();
      if (first == null) {
        return null;
      }
      Record bad = checkLine(first);
      if (bad != null) {
        return bad;
      }
      StringBuilder text = new StringBuilder(first.text);
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      raw.write(first.bytes);
      int count = 1;
      while (CsvSplitter.isOpen(text.toString())) {
        RawLines.Line more = count < MAX_LINES_PER_RECORD ? lines.next() : null;
        if (more == null) {
          return malformed(
              first.number,
              raw.toByteArray(),
              text.toString(),
              "unterminated quoted field (" + count + " lines)");
        }
        text.append('\n').append(more.text);
        raw.write('\n');
        raw.write(more.bytes);
        count++;
        if (!more.validUtf8) {
          stats.invalidUtf8++;
        }
      }
      String record = text.toString();
      if (headerError != null) {
        return malformed(first.number, raw.toByteArray(), record, headerError);
      }
      List<String> fields = CsvSplitter.split(record);
      if (fields == null) {
        return malformed(
            first.number, raw.toByteArray(), record, "not valid CSV (misplaced quote)");
      }
      if (fields.size() != columnToField.length) {
        return malformed(
            first.number,
            raw.toByteArray(),
            record,
            fields.size() + " fields, the header has " + columnToField.length);
      }
      String[] values = new String[source.fields().size()];
      Map<String, String> extras = new LinkedHashMap<>();
      for (int c = 0; c < columnToField.length; c++) {
        if (columnToField[c] >= 0) {
          values[columnToField[c]] = fields.get(c);
        } else {
          extras.put(columnNames[c], fields.get(c));
        }
      }
      return parsed(first.number, raw.toByteArray(), record, values, extras);
    }

    private void readHeader() throws IOException {
      RawLines.Line header = lines.next();
      if (header == null) {
        columnToField = new int[0];
        columnNames = new String[0];
        return;
      }
      List<String> names = header.validUtf8 ? CsvSplitter.split(header.text) : null;
      if (names == null) {
        headerError = "the file's header line is not valid CSV";
        stats.problems.add("line 1: header is not valid CSV: " + header.text);
        return;
      }
      columnToField = new int[names.size()];
      columnNames = new String[names.size()];
      boolean[] seen = new boolean[source.fields().size()];
      for (int c = 0; c < names.size(); c++) {
        String name = names.get(c).trim();
        columnNames[c] = name;
        Integer field = fieldIndex.get(name);
        if (field == null || seen[field]) {
          columnToField[c] = -1;
          unknownField(name, header.number);
        } else {
          columnToField[c] = field;
          seen[field] = true;
        }
      }
      for (int f = 0; f < seen.length; f++) {
        if (!seen[f]) {
          FieldSpec spec = source.fields().get(f);
          if (spec.required()) {
            missingRequired(spec.name(), header.number, true);
          } else {
            stats.missingOptional.add(spec.name());
          }
        }
      }
    }
  }

  /** A format with one record per line. */
  abstract static class LinePerRecord extends RecordReader {
    LinePerRecord(BronzeSource source, String file, RawLines lines) {
      super(source, file, lines);
    }

    @Override
    final Record next() throws IOException {
      RawLines.Line line = lines.next();
      if (line == null) {
        return null;
      }
      Record bad = checkLine(line);
      return bad != null ? bad : parse(line);
    }

    /** The record of a line that is valid UTF-8 and not blank. */
    abstract Record parse(RawLines.Line line) throws IOException;
  }

  /** dbgen's {@code .tbl}: '|'-separated, a trailing '|', fields in contract order, no header. */
  static final class Tbl extends LinePerRecord {
    Tbl(BronzeSource source, String file, RawLines lines) {
      super(source, file, lines);
    }

    @Override
    Record parse(RawLines.Line line) {
      String text = line.text;
      int expected = source.fields().size();
      if (!text.endsWith("|")) {
        return malformed(line, "no trailing '|' (expected " + expected + " '|'-terminated fields)");
      }
      String[] parts = text.substring(0, text.length() - 1).split("\\|", -1);
      if (parts.length != expected) {
        return malformed(
            line, "expected " + expected + " '|'-terminated fields, found " + parts.length);
      }
      return parsed(line.number, line.bytes, text, parts, Map.of());
    }
  }

  /**
   * One JSON object per line; fields are matched to the contract by key. Read with Jackson's
   * streaming parser so a number keeps the text it was written with ({@code 1.50} stays {@code
   * 1.50}); arrays and objects are kept as compact JSON.
   */
  static final class JsonLines extends LinePerRecord {
    private static final ObjectMapper JSON = new ObjectMapper();

    JsonLines(BronzeSource source, String file, RawLines lines) {
      super(source, file, lines);
    }

    @Override
    Record parse(RawLines.Line line) throws IOException {
      String[] values = new String[source.fields().size()];
      Map<String, String> extras = new LinkedHashMap<>();
      try (JsonParser parser = JSON.getFactory().createParser(line.text)) {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
          return malformed(line, "not a JSON object");
        }
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.getCurrentName();
          String value = value(parser, parser.nextToken());
          Integer field = fieldIndex.get(name);
          if (field != null) {
            values[field] = value;
          } else {
            extras.put(name, value);
            unknownField(name, line.number);
          }
        }
        if (parser.nextToken() != null) {
          return malformed(line, "invalid JSON: text after the object");
        }
      } catch (JsonProcessingException e) {
        if (e.getLocation() == null) {
          // A limit of the parser (a 50 MB string, say) has no location; its message names it.
          return malformed(line, "invalid JSON: " + e.getOriginalMessage().split("\\n")[0]);
        }
        String message = e.getOriginalMessage().split(" \\(|\\n")[0];
        return malformed(
            line, "invalid JSON at column " + e.getLocation().getColumnNr() + ": " + message);
      }
      for (int f = 0; f < values.length; f++) {
        FieldSpec spec = source.fields().get(f);
        if (spec.required() && values[f] == null) {
          missingRequired(spec.name(), line.number, false);
        }
      }
      return parsed(line.number, line.bytes, line.text, values, extras);
    }

    /** The value the parser is on, as the text that arrived. */
    private static String value(JsonParser parser, JsonToken token) throws IOException {
      switch (token) {
        case VALUE_NULL:
          return null;
        case START_ARRAY:
        case START_OBJECT:
          return JSON.writeValueAsString(parser.readValueAsTree());
        default:
          return parser.getText();
      }
    }
  }

  /** What a file held, beyond its records. */
  static final class FileStats {
    private static final int MAX_NAMES = 50;
    long records;
    long malformed;
    long invalidUtf8;
    final List<String> unknownFields = new ArrayList<>();
    final Map<String, Long> missingRequired = new LinkedHashMap<>();
    final List<String> missingOptional = new ArrayList<>();
    final List<String> problems = new ArrayList<>();

    void unknownField(String name) {
      if (!unknownFields.contains(name) && unknownFields.size() < MAX_NAMES) {
        unknownFields.add(name);
      }
    }

    void missingRequired(String field, boolean wholeFile) {
      missingRequired.merge(field, wholeFile ? -1L : 1L, (a, b) -> a < 0 ? a : a + b);
    }

    /** {@code user_id (header)} or {@code user_id (3 records)}. */
    List<String> missingRequiredText() {
      List<String> text = new ArrayList<>();
      for (Map.Entry<String, Long> entry : missingRequired.entrySet()) {
        text.add(
            entry.getKey()
                + (entry.getValue() < 0 ? " (header)" : " (" + entry.getValue() + " records)"));
      }
      return text;
    }
  }
}
