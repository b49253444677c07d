package com.acme.warehouse.jobs.bronze;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.FileTime;
import java.sql.Date;
import java.sql.Timestamp;
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
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

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
    final Timestamp changedAt;
    final Date deliveryDate;

    Listed(String path, long size, long modifiedAt, Timestamp changedAt, Date deliveryDate) {
      this.path = path;
      this.size = size;
      this.modifiedAt = modifiedAt;
      this.changedAt = changedAt;
      this.deliveryDate = deliveryDate;
    }
  }

  /**
   * Every file matching any pattern, or any pattern plus {@code .gz} (a gzip delivery of the same
   * files: {@code users.csv.gz} for {@code *.csv}), once, sorted by path.
   */
  static List<Listed> list(String rawRoot, List<String> patterns, Configuration hadoop) {
    Map<String, Listed> files = new TreeMap<>();
    for (String pattern : withGzip(patterns)) {
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
              new Listed(
                  path,
                  status.getLen(),
                  status.getModificationTime(),
                  changedAt(status.getPath()),
                  deliveryDate(path)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + glob + ": " + e.getMessage(), e);
      }
    }
    return new ArrayList<>(files.values());
  }

  /**
   * Files under the folders this source's patterns start from (the part before the first wildcard)
   * that no source's pattern matches, nor its {@code .gz} form, as paths relative to the raw root,
   * sorted: a delivery put beside its {@code dt=} folders instead of in one, or under another name,
   * would otherwise never be seen. Names starting with {@code _} or {@code .} are not deliveries.
   */
  static List<String> unclaimed(
      String rawRoot, List<String> own, List<String> every, Configuration hadoop) {
    List<PathMatcher> claimed = new ArrayList<>();
    for (String pattern : withGzip(every)) {
      claimed.add(FileSystems.getDefault().getPathMatcher("glob:" + pattern));
    }
    java.util.Set<String> found = new java.util.TreeSet<>();
    java.util.Set<String> folders = new java.util.TreeSet<>();
    own.forEach(pattern -> folders.add(folder(pattern)));
    for (String folder : folders) {
      Path root = new Path(rawRoot);
      try {
        FileSystem fs = root.getFileSystem(hadoop);
        String prefix = fs.makeQualified(root).toString() + "/";
        Path start = new Path(root, folder);
        if (!fs.exists(start)) {
          continue;
        }
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(start, true);
        while (files.hasNext()) {
          String path = files.next().getPath().toString();
          String relative = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
          java.nio.file.Path asPath = java.nio.file.Paths.get(relative);
          boolean hidden = false;
          for (java.nio.file.Path part : asPath) {
            hidden |= part.toString().startsWith("_") || part.toString().startsWith(".");
          }
          if (!hidden && claimed.stream().noneMatch(m -> m.matches(asPath))) {
            found.add(relative);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + rawRoot + "/" + folder, e);
      }
    }
    return new ArrayList<>(found);
  }

  /** The leading folders of a pattern, up to the first one with a wildcard. */
  private static String folder(String pattern) {
    String[] parts = pattern.split("/");
    List<String> plain = new ArrayList<>();
    for (int i = 0; i < parts.length - 1 && !parts[i].matches(".*[*?\\[{].*"); i++) {
      plain.add(parts[i]);
    }
    return String.join("/", plain);
  }

  private static List<String> withGzip(List<String> patterns) {
    List<String> globs = new ArrayList<>();
    for (String pattern : patterns) {
      globs.add(pattern);
      if (!pattern.endsWith(".gz") && !pattern.endsWith("*")) {
        globs.add(pattern + ".gz");
      }
    }
    return globs;
  }

  /**
   * When a local file's content or metadata last changed (its inode change time), or null for other
   * filesystems. {@code cp -p} and {@code rsync -t} give a re-delivered file its old size and
   * modification time, but writing it always moves this; object stores set the modification time
   * themselves on every write, so there the modification time is enough.
   */
  static Timestamp changedAt(Path path) {
    if (!"file".equals(path.toUri().getScheme())) {
      return null;
    }
    try {
      FileTime changed =
          (FileTime) Files.getAttribute(java.nio.file.Paths.get(path.toUri()), "unix:ctime");
      return Timestamp.from(changed.toInstant());
    } catch (UnsupportedOperationException | IllegalArgumentException e) {
      return null; // not a Unix filesystem: the modification time alone decides
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the attributes of " + path, e);
    }
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
