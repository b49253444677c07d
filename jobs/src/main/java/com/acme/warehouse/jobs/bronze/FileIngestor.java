package com.acme.warehouse.jobs.bronze;

import com.acme.warehouse.common.spark.SerializableHadoopConf;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * Ingests one raw file on an executor: checksums it, and unless that content was ingested before
 * under the same path, streams its records as bronze rows followed by the file's manifest row.
 * Nothing is buffered beyond one record, so a file of any size fits.
 */
final class FileIngestor implements FlatMapFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /** The input rows: one per candidate file. */
  static final StructType CANDIDATE =
      new StructType()
          .add("path", DataTypes.StringType, false)
          .add("size", DataTypes.LongType, false)
          .add("modified_at", DataTypes.TimestampType, false)
          .add("delivery_date", DataTypes.DateType, true)
          .add("known_checksums", DataTypes.createArrayType(DataTypes.StringType), true)
          .add("changed_at", DataTypes.TimestampType, true);

  private final BronzeSource source;
  private final SerializableHadoopConf hadoop;
  private final String runId;
  private final Timestamp ingestedAt;
  private final Columns column;

  FileIngestor(
      BronzeSource source, SerializableHadoopConf hadoop, String runId, Timestamp ingestedAt) {
    this.source = source;
    this.hadoop = hadoop;
    this.runId = runId;
    this.ingestedAt = ingestedAt;
    this.column = new Columns(BronzeColumns.schema(source), source);
  }

  @Override
  public Iterator<Row> call(Row candidate) throws IOException {
    String file = candidate.getString(0);
    Path path = new Path(file);
    FileSystem fs = path.getFileSystem(hadoop.get());
    String checksum = sha256(fs, path);
    List<String> known = candidate.isNullAt(4) ? List.of() : candidate.getList(4);
    FileInfo fileColumns = new FileInfo(candidate, checksum);
    if (known.contains(checksum)) {
      // Touched but not changed: record the new modification time, ingest nothing.
      return List.of(fileRow(fileColumns, BronzeColumns.UNCHANGED, new RecordReader.FileStats()))
          .iterator();
    }
    String status = known.isEmpty() ? BronzeColumns.NEW : BronzeColumns.REDELIVERED;
    InputStream in = RawLines.decompressed(fs.open(path));
    RecordReader reader = RecordReader.of(source, file, new RawLines(in));
    MessageDigest recordDigest = sha256();
    return new Iterator<>() {
      private Row pending = advance();
      private boolean done;

      private Row advance() {
        try {
          RecordReader.Record record = reader.next();
          if (record != null) {
            return recordRow(fileColumns, record, recordDigest);
          }
          in.close();
          return null;
        } catch (IOException e) {
          throw new UncheckedIOException(
              new IOException("cannot read " + file + ": " + e.getMessage(), e));
        }
      }

      @Override
      public boolean hasNext() {
        return !done;
      }

      @Override
      public Row next() {
        if (done) {
          throw new NoSuchElementException();
        }
        if (pending == null) {
          done = true;
          return fileRow(fileColumns, status, reader.stats);
        }
        Row row = pending;
        pending = advance();
        return row;
      }
    };
  }

  private static String sha256(FileSystem fs, Path path) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = fs.open(path)) {
      int read;
      while ((read = in.read(buffer)) > 0) {
        digest.update(buffer, 0, read);
      }
    } catch (IOException e) {
      throw new IOException("cannot read " + path + ": " + e.getMessage(), e);
    }
    return hex(digest.digest());
  }

  private Row recordRow(FileInfo file, RecordReader.Record record, MessageDigest digest) {
    Object[] row = base(BronzeColumns.KIND_RECORD, file);
    row[column.lineNumber] = record.line;
    row[column.malformed] = record.malformed();
    row[column.error] = record.error;
    row[column.recordSha256] = hex(digest.digest(record.raw));
    if (record.values != null) {
      System.arraycopy(record.values, 0, row, column.firstField, record.values.length);
    }
    if (record.extras != null) {
      row[column.extraFields] = JavaConverters.mapAsScalaMap(record.extras);
    }
    if (record.malformed()) {
      row[column.rawRecord] = record.rawText;
    }
    return RowFactory.create(row);
  }

  private Row fileRow(FileInfo file, String status, RecordReader.FileStats stats) {
    Object[] row = base(BronzeColumns.KIND_FILE, file);
    List<String> problems = new ArrayList<>(stats.problems);
    if (BronzeColumns.UNCHANGED.equals(status)) {
      problems.clear();
    } else if (file.size == 0L) {
      problems.add("empty file");
    } else if (stats.records == 0) {
      problems.add("no records");
    }
    if (stats.invalidUtf8 > 0) {
      problems.add(stats.invalidUtf8 + " lines are not valid UTF-8");
    }
    if (stats.malformed > 0) {
      problems.add(stats.malformed + " malformed records");
    }
    row[column.fileSize] = file.size;
    row[column.fileSha256] = file.sha256;
    row[column.fileChangedAt] = file.changedAt;
    row[column.fileSummary] =
        RowFactory.create(
            status,
            stats.records,
            stats.malformed,
            JavaConverters.asScalaBuffer(stats.unknownFields).toList(),
            JavaConverters.asScalaBuffer(stats.missingRequiredText()).toList(),
            JavaConverters.asScalaBuffer(problems).toList());
    return RowFactory.create(row);
  }

  /** Columns every row has: kind, run, ingestion time, delivery date, file, its time. */
  private Object[] base(String kind, FileInfo file) {
    Object[] row = new Object[column.width];
    row[column.kind] = kind;
    row[column.runId] = runId;
    row[column.ingestedAt] = ingestedAt;
    row[column.deliveryDate] = file.deliveryDate;
    row[column.sourceFile] = file.path;
    row[column.modifiedAt] = file.modifiedAt;
    return row;
  }

  /** The candidate file being ingested, with its checksum. */
  private static final class FileInfo {
    final String path;
    final long size;
    final Timestamp modifiedAt;
    final Timestamp changedAt;
    final Date deliveryDate;
    final String sha256;

    FileInfo(Row candidate, String sha256) {
      this.path = candidate.getString(0);
      this.size = candidate.getLong(1);
      this.modifiedAt = candidate.getTimestamp(2);
      this.changedAt = candidate.isNullAt(5) ? null : candidate.getTimestamp(5);
      this.deliveryDate = candidate.isNullAt(3) ? null : candidate.getDate(3);
      this.sha256 = sha256;
    }
  }

  /** Positions of the bronze schema's columns, looked up once by name. */
  private static final class Columns implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final int width;
    final int kind;
    final int runId;
    final int ingestedAt;
    final int deliveryDate;
    final int sourceFile;
    final int modifiedAt;
    final int lineNumber;
    final int malformed;
    final int error;
    final int recordSha256;
    final int firstField;
    final int extraFields;
    final int rawRecord;
    final int fileSize;
    final int fileSha256;
    final int fileChangedAt;
    final int fileSummary;

    Columns(StructType schema, BronzeSource source) {
      width = schema.size();
      kind = schema.fieldIndex(BronzeColumns.KIND);
      runId = schema.fieldIndex(BronzeColumns.RUN_ID);
      ingestedAt = schema.fieldIndex(BronzeColumns.INGESTED_AT);
      deliveryDate = schema.fieldIndex(BronzeColumns.DELIVERY_DATE);
      sourceFile = schema.fieldIndex(BronzeColumns.SOURCE_FILE);
      modifiedAt = schema.fieldIndex(BronzeColumns.FILE_MODIFIED_AT);
      lineNumber = schema.fieldIndex(BronzeColumns.LINE_NUMBER);
      malformed = schema.fieldIndex(BronzeColumns.IS_MALFORMED);
      error = schema.fieldIndex(BronzeColumns.ERROR);
      recordSha256 = schema.fieldIndex(BronzeColumns.RECORD_SHA256);
      firstField = schema.fieldIndex(source.fields().get(0).name());
      extraFields = schema.fieldIndex(BronzeColumns.EXTRA_FIELDS);
      rawRecord = schema.fieldIndex(BronzeColumns.RAW_RECORD);
      fileSize = schema.fieldIndex(BronzeColumns.FILE_SIZE);
      fileSha256 = schema.fieldIndex(BronzeColumns.FILE_SHA256);
      fileChangedAt = schema.fieldIndex(BronzeColumns.FILE_CHANGED_AT);
      fileSummary = schema.fieldIndex(BronzeColumns.FILE);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    char[] digits = "0123456789abcdef".toCharArray();
    char[] text = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      text[2 * i] = digits[(bytes[i] >> 4) & 0xf];
      text[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    return new String(text);
  }
}
