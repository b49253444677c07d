package com.acme.warehouse.jobs.sampledata;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Where the generator writes: any Hadoop file system ({@code gs://} on Dataproc, local paths on a
 * laptop). Files are streamed line by line, so memory stays flat whatever the scale. On the local
 * file system no {@code .crc} side files are written: the raw folder must look like a real
 * delivery.
 */
final class RawOutput {
  private final Path root;
  private final FileSystem fs;

  RawOutput(String root, Configuration hadoop) {
    this.root = new Path(root);
    try {
      FileSystem fileSystem = this.root.getFileSystem(hadoop);
      this.fs =
          fileSystem instanceof LocalFileSystem
              ? ((LocalFileSystem) fileSystem).getRawFileSystem()
              : fileSystem;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open file system of " + root, e);
    }
  }

  String root() {
    return root.toString();
  }

  /** True when the folder exists and holds at least one entry. */
  boolean hasFiles(String relative) {
    Path dir = new Path(root, relative);
    try {
      if (!fs.exists(dir)) {
        return false;
      }
      FileStatus[] entries = fs.listStatus(dir);
      return entries.length > 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }

  void delete(String relative) {
    Path dir = new Path(root, relative);
    try {
      fs.delete(dir, true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  LineWriter file(String relative) {
    Path path = new Path(root, relative);
    try {
      fs.mkdirs(path.getParent());
      Writer writer =
          new BufferedWriter(
              new OutputStreamWriter(fs.create(path, true), StandardCharsets.UTF_8), 1 << 16);
      return new LineWriter(path.toString(), writer);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path, e);
    }
  }

  /** One output file, written line by line with {@code \n} endings. */
  static final class LineWriter implements Closeable {
    private final String path;
    private final Writer writer;
    private long lines;

    private LineWriter(String path, Writer writer) {
      this.path = path;
      this.writer = writer;
    }

    void line(String text) {
      try {
        writer.write(text);
        writer.write('\n');
        lines++;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + path, e);
      }
    }

    long lines() {
      return lines;
    }

    @Override
    public void close() {
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot close " + path, e);
      }
    }
  }
}
