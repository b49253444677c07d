package com.acme.warehouse.jobs.bronze;

import com.acme.warehouse.common.contract.FieldSpec;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The layout of a bronze table. Every contract field is a nullable STRING holding the value as it
 * arrived; metadata columns start with {@code _}.
 *
 * <p>A bronze table holds two kinds of rows, in two partitions of {@value #KIND}: {@code record}
 * (one per record of a file, malformed ones included) and {@code file} (one per ingested file: the
 * manifest entry with size, checksum, row counts and what drifted). Both are written by the same
 * Delta commit, so a run either lands a file's rows together with its manifest entry or neither;
 * and the manifest is read from its own small partition.
 */
public final class BronzeColumns {
  public static final String KIND = "_kind";
  public static final String KIND_RECORD = "record";
  public static final String KIND_FILE = "file";

  public static final String EXTRA_FIELDS = "_extra_fields";
  public static final String IS_MALFORMED = "_is_malformed";
  public static final String ERROR = "_error";
  public static final String RAW_RECORD = "_raw_record";
  public static final String LINE_NUMBER = "_line_number";
  public static final String RECORD_SHA256 = "_record_sha256";
  public static final String SOURCE_FILE = "_source_file";
  public static final String DELIVERY_DATE = "_delivery_date";
  public static final String FILE_MODIFIED_AT = "_file_modified_at";
  public static final String FILE_SIZE = "_file_size";
  public static final String FILE_SHA256 = "_file_sha256";
  public static final String FILE_CHANGED_AT = "_file_changed_at";
  public static final String INGESTED_AT = "_ingested_at";
  public static final String RUN_ID = "_run_id";

  /** On file rows only: the manifest entry. */
  public static final String FILE = "_file";

  /** Statuses of a file row. */
  public static final String NEW = "new";

  public static final String REDELIVERED = "re-delivered";
  public static final String UNCHANGED = "unchanged";

  static final StructType FILE_SUMMARY =
      new StructType()
          .add("status", DataTypes.StringType)
          .add("records", DataTypes.LongType)
          .add("malformed", DataTypes.LongType)
          .add("unknown_fields", DataTypes.createArrayType(DataTypes.StringType))
          .add("missing_required", DataTypes.createArrayType(DataTypes.StringType))
          .add("problems", DataTypes.createArrayType(DataTypes.StringType));

  private BronzeColumns() {}

  /**
   * How many leading columns Delta keeps min/max statistics for: the metadata a reader filters on
   * (kind, run, ingestion time, delivery date, file, line, malformed). Statistics on the raw string
   * fields would cost time on every write and help no query.
   */
  static final int INDEXED_COLUMNS = 8;

  /** The schema of a source's bronze table; the columns readers filter on come first. */
  public static StructType schema(BronzeSource source) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(KIND, DataTypes.StringType, false));
    fields.add(DataTypes.createStructField(RUN_ID, DataTypes.StringType, false));
    fields.add(DataTypes.createStructField(INGESTED_AT, DataTypes.TimestampType, false));
    fields.add(DataTypes.createStructField(DELIVERY_DATE, DataTypes.DateType, true));
    fields.add(DataTypes.createStructField(SOURCE_FILE, DataTypes.StringType, false));
    fields.add(DataTypes.createStructField(FILE_MODIFIED_AT, DataTypes.TimestampType, false));
    fields.add(DataTypes.createStructField(LINE_NUMBER, DataTypes.LongType, true));
    fields.add(DataTypes.createStructField(IS_MALFORMED, DataTypes.BooleanType, true));
    fields.add(DataTypes.createStructField(ERROR, DataTypes.StringType, true));
    fields.add(DataTypes.createStructField(RECORD_SHA256, DataTypes.StringType, true));
    for (FieldSpec field : source.fields()) {
      fields.add(DataTypes.createStructField(field.name(), DataTypes.StringType, true));
    }
    fields.add(
        DataTypes.createStructField(
            EXTRA_FIELDS,
            DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true),
            true));
    fields.add(DataTypes.createStructField(RAW_RECORD, DataTypes.StringType, true));
    // Per file, so only on the file row (the manifest entry).
    fields.add(DataTypes.createStructField(FILE_SIZE, DataTypes.LongType, true));
    fields.add(DataTypes.createStructField(FILE_SHA256, DataTypes.StringType, true));
    // A local file's inode change time (null elsewhere): see RawFileLister.changedAt.
    fields.add(DataTypes.createStructField(FILE_CHANGED_AT, DataTypes.TimestampType, true));
    fields.add(DataTypes.createStructField(FILE, FILE_SUMMARY, true));
    return new StructType(fields.toArray(new StructField[0]));
  }
}
