package com.acme.warehouse.jobs.sampledata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads generated files back for the tests, independently of the generator's code. */
final class RawFiles {
  private RawFiles() {}

  /** A line of a delivery: the {@code dt=} folder it came in and its text. */
  static final class Line {
    final String dt;
    final String text;

    Line(String dt, String text) {
      this.dt = dt;
      this.text = text;
    }
  }

  /** Every line of every file under {@code <root>/<source>/dt=*}, deliveries in date order. */
  static List<Line> lines(Path root, String source, boolean skipHeader) {
    List<Line> lines = new ArrayList<>();
    for (Path file : files(root.resolve(source))) {
      String dt = file.getParent().getFileName().toString().substring(3);
      List<String> text = read(file);
      for (int i = skipHeader ? 1 : 0; i < text.size(); i++) {
        lines.add(new Line(dt, text.get(i)));
      }
    }
    return lines;
  }

  static List<String> read(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Regular files under a folder, sorted by path. */
  static List<Path> files(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String hex(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      text.append(String.format("%02x", b));
    }
    return text.toString();
  }

  /** Relative path to SHA-256 of every file under a folder. */
  static Map<String, String> digests(Path dir) {
    Map<String, String> digests = new TreeMap<>();
    for (Path file : files(dir)) {
      try {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        digests.put(dir.relativize(file).toString(), hex(sha.digest(Files.readAllBytes(file))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return digests;
  }
}
