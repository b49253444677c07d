package com.acme.warehouse.jobs.sampledata;

import java.io.Closeable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one source across its deliveries: {@code <dir>/dt=<date>/<file>}. All deliveries are
 * open at once so an entity's rows can go to whichever delivery they belong to while it is
 * generated. A source with a fixed file name (a full export) writes one file per delivery; an event
 * source rolls to a new part ({@code <prefix>-00001.json}) after {@code maxLinesPerFile} lines.
 */
final class Deliveries implements Closeable {
  private final RawOutput out;
  private final String dir;
  private final List<LocalDate> dates;
  private final String fixedName;
  private final String prefix;
  private final String extension;
  private final String header;
  private final long maxLinesPerFile;
  private final List<RawOutput.LineWriter> current = new ArrayList<>();
  private final int[] parts;
  private final long[] lines;
  private int files;

  private Deliveries(
      RawOutput out,
      String dir,
      List<LocalDate> dates,
      String fixedName,
      String prefix,
      String extension,
      String header,
      long maxLinesPerFile) {
    this.out = out;
    this.dir = dir;
    this.dates = List.copyOf(dates);
    this.fixedName = fixedName;
    this.prefix = prefix;
    this.extension = extension;
    this.header = header;
    this.maxLinesPerFile = maxLinesPerFile;
    this.parts = new int[dates.size()];
    this.lines = new long[dates.size()];
    for (int i = 0; i < dates.size(); i++) {
      current.add(null);
    }
  }

  /** One file per delivery with this exact name, e.g. {@code users_db_export.csv}. */
  static Deliveries fixedName(
      RawOutput out, String dir, List<LocalDate> dates, String fileName, String header) {
    return new Deliveries(out, dir, dates, fileName, null, null, header, Long.MAX_VALUE);
  }

  /** Parts of at most {@code maxLinesPerFile} lines: {@code <prefix>-00000.<extension>}. */
  static Deliveries parts(
      RawOutput out,
      String dir,
      List<LocalDate> dates,
      String prefix,
      String extension,
      long maxLinesPerFile) {
    return new Deliveries(out, dir, dates, null, prefix, extension, null, maxLinesPerFile);
  }

  List<LocalDate> dates() {
    return dates;
  }

  int count() {
    return dates.size();
  }

  void write(int delivery, String line) {
    RawOutput.LineWriter writer = current.get(delivery);
    long dataLines = writer == null ? 0 : writer.lines() - (header == null ? 0 : 1);
    if (writer == null || dataLines >= maxLinesPerFile) {
      if (writer != null) {
        writer.close();
      }
      writer = open(delivery);
      current.set(delivery, writer);
    }
    writer.line(line);
    lines[delivery]++;
  }

  /** Data lines written (headers excluded), over all deliveries. */
  long lines() {
    long total = 0;
    for (long n : lines) {
      total += n;
    }
    return total;
  }

  long lines(int delivery) {
    return lines[delivery];
  }

  int files() {
    return files;
  }

  private RawOutput.LineWriter open(int delivery) {
    String file =
        fixedName != null
            ? fixedName
            : String.format("%s-%05d.%s", prefix, parts[delivery]++, extension);
    String name = dir + "/dt=" + dates.get(delivery) + "/" + file;
    RawOutput.LineWriter writer = out.file(name);
    files++;
    if (header != null) {
      writer.line(header);
    }
    return writer;
  }

  @Override
  public void close() {
    for (RawOutput.LineWriter writer : current) {
      if (writer != null) {
        writer.close();
      }
    }
  }
}
