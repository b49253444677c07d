package com.acme.warehouse.jobs.bronze;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Splits a file into lines as bytes, numbered from 1, without their {@code \n} or {@code \r\n}
 * ending (and without a UTF-8 byte order mark at the start of the file), and decodes each strictly
 * as UTF-8, so a line that is not valid UTF-8 is found and named instead of silently turned into
 * replacement characters.
 */
final class RawLines {
  private final InputStream in;
  private final byte[] buffer = new byte[1 << 16];
  private final CharsetDecoder strict =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private int position;
  private int limit;
  private long number;
  private boolean eof;

  RawLines(InputStream in) {
    this.in = in;
  }

  /**
   * The file's content: gunzipped when it starts with gzip's magic bytes, whatever its name (a
   * {@code .json.gz} delivery, or gzip content under a plain name), otherwise as it is.
   */
  static InputStream decompressed(InputStream raw) throws IOException {
    BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  /** One line of the file. */
  static final class Line {
    final long number;
    final byte[] bytes;

    /** The decoded text; with U+FFFD replacements when {@link #validUtf8} is false. */
    final String text;

    final boolean validUtf8;

    Line(long number, byte[] bytes, String text, boolean validUtf8) {
      this.number = number;
      this.bytes = bytes;
      this.text = text;
      this.validUtf8 = validUtf8;
    }
  }

  /** The next line, or null at the end of the file. */
  Line next() throws IOException {
    ByteArrayOutputStream line = null;
    while (true) {
      if (position == limit) {
        if (eof || !fill()) {
          if (line == null) {
            return null;
          }
          return decode(line.toByteArray());
        }
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      if (line == null) {
        line = new ByteArrayOutputStream(Math.max(64, position - start));
      }
      line.write(buffer, start, position - start);
      if (position < limit) {
        position++; // the '\n'
        return decode(line.toByteArray());
      }
    }
  }

  private boolean fill() throws IOException {
    int read = in.read(buffer);
    if (read <= 0) {
      eof = true;
      return false;
    }
    position = 0;
    limit = read;
    return true;
  }

  private Line decode(byte[] bytes) {
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    int from = 0;
    if (number == 0
        && length >= 3
        && (bytes[0] & 0xff) == 0xef
        && (bytes[1] & 0xff) == 0xbb
        && (bytes[2] & 0xff) == 0xbf) {
      from = 3; // a byte order mark is not part of the first field's name or value
    }
    byte[] content =
        from == 0 && length == bytes.length
            ? bytes
            : java.util.Arrays.copyOfRange(bytes, from, length);
    number++;
    try {
      CharBuffer chars = strict.decode(ByteBuffer.wrap(content));
      return new Line(number, content, chars.toString(), true);
    } catch (CharacterCodingException e) {
      return new Line(number, content, new String(content, StandardCharsets.UTF_8), false);
    }
  }
}
