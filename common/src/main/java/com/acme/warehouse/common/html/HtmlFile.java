package com.acme.warehouse.common.html;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** The HTML pages the report jobs write: text escaped for HTML, and a page written to any path. */
public final class HtmlFile {
  private HtmlFile() {}

  public static String escape(String text) {
    return text == null
        ? ""
        : text.replace("&", "&amp;")
            .replace("<", "&lt;")
            .replace(">", "&gt;")
            .replace("\"", "&quot;");
  }

  /** Writes the page through Hadoop's file systems: a local path, or gs:// on Dataproc. */
  public static void write(SparkSession spark, String path, String page) {
    Path target = new Path(path);
    try {
      FileSystem fs = target.getFileSystem(spark.sparkContext().hadoopConfiguration());
      try (Writer writer =
          new OutputStreamWriter(fs.create(target, true), StandardCharsets.UTF_8)) {
        writer.write(page);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the page " + path, e);
    }
  }
}
