package com.acme.warehouse.jobs.bronze;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Date;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Finds a source's files by listing its patterns under the raw root on every run (local or {@code
 * gs://}), so the newest delivery folders are always seen. Names starting with {@code _} or {@code
 * .} ({@code _truth.json}, {@code _SUCCESS}, checksum files) are not deliveries.
 */
final class RawFileLister {
  private static final Pattern DELIVERY = Pattern.compile("dt=(\\d{4}-\\d{2}-\\d{2})");

  private RawFileLister() {}

  /** A file found by the listing. */
  static final class Listed {
    final String path;
    final long size;
    final long modifiedAt;
    final Date deliveryDate;

    Listed(String path, long size, long modifiedAt, Date deliveryDate) {
      this.path = path;
      this.size = size;
      this.modifiedAt = modifiedAt;
      this.deliveryDate = deliveryDate;
    }
  }

  /**
   * Every file matching any pattern, or any pattern plus {@code .gz} (a gzip delivery of the same
   * files: {@code users.csv.gz} for {@code *.csv}), once, sorted by path.
   */
  static List<Listed> list(String rawRoot, List<String> patterns, Configuration hadoop) {
    Map<String, Listed> files = new TreeMap<>();
    List<String> globs = new ArrayList<>();
    for (String pattern : patterns) {
      globs.add(pattern);
      if (!pattern.endsWith(".gz") && !pattern.endsWith("*")) {
        globs.add(pattern + ".gz");
      }
    }
    for (String pattern : globs) {
      Path glob = new Path(rawRoot + "/" + pattern);
      try {
        FileSystem fs = glob.getFileSystem(hadoop);
        FileStatus[] matches = fs.globStatus(glob);
        if (matches == null) {
          continue;
        }
        for (FileStatus status : matches) {
          String name = status.getPath().getName();
          if (!status.isFile() || name.startsWith("_") || name.startsWith(".")) {
            continue;
          }
          String path = status.getPath().toString();
          files.put(
              path,
              new Listed(path, status.getLen(), status.getModificationTime(), deliveryDate(path)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + glob + ": " + e.getMessage(), e);
      }
    }
    return new ArrayList<>(files.values());
  }

  /** The date of the last {@code dt=YYYY-MM-DD} folder in a path, or null. */
  static Date deliveryDate(String path) {
    Matcher matcher = DELIVERY.matcher(path);
    String date = null;
    while (matcher.find()) {
      date = matcher.group(1);
    }
    if (date == null) {
      return null;
    }
    try {
      return Date.valueOf(LocalDate.parse(date));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          path
              + ": its delivery folder 'dt="
              + date
              + "' is not a date (YYYY-MM-DD); rename the"
              + " folder or move the file",
          e);
    }
  }
}
