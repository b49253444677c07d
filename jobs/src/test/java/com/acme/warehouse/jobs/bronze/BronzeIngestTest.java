package com.acme.warehouse.jobs.bronze;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.warehouse.common.config.ConfigReader;
import com.acme.warehouse.common.spark.SerializableHadoopConf;
import com.acme.warehouse.common.testing.SparkTestBase;
import com.acme.warehouse.jobs.testing.JobsCli;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * Bronze ingestion on small fixture files of a {@code demo} domain that exists only in this test's
 * config file: adding a source is a config entry.
 */
class BronzeIngestTest extends SparkTestBase {
  private static final String SOURCES =
      "bronze.sources.demo {\n"
          + "  users {\n"
          + "    patterns = [\"demo/users/dt=*/*.csv\"]\n"
          + "    format = csv\n"
          + "    fields = [{name = user_id, type = bigint, required = true}, {name = name},"
          + " {name = signup_date, type = date}]\n"
          + "  }\n"
          + "  parts {\n"
          + "    patterns = [\"demo/parts/dt=*/*.tbl\"]\n"
          + "    format = tbl\n"
          + "    fields = [{name = part_id, type = bigint, required = true}, {name = name},"
          + " {name = price, type = \"decimal(10,2)\"}]\n"
          + "  }\n"
          + "  events {\n"
          + "    patterns = [\"demo/events/dt=*/*.json\"]\n"
          + "    format = jsonl\n"
          + "    fields = [{name = id, required = true}, {name = n, type = int},"
          + " {name = price, type = \"decimal(10,2)\"}, {name = tags, type = json}]\n"
          + "  }\n"
          + "}\n";

  private static final String DEFAULTS =
      "bronze.defaults { on-missing-required = warn, on-unknown-field = warn }\n";

  private static final String USERS_CSV =
      "user_id,name,signup_date\n"
          + "1,Ann,2024-01-01\n"
          + "2,\"Lee, Bob\",2024-01-02\n"
          + "3,\"two\n"
          + "lines\",2024-01-03\n"
          + "4,bad\"quote,2024-01-04\n"
          + "5,too,many,fields\n"
          + " 6 , spaced ,\n";

  private static final String PARTS_TBL =
      "1|bolt|0.50|\n" + "2|nut|0.25|\n" + "3|washer|\n" + "4|screw|1.00\n";

  private static final String EVENTS_JSON =
      "{\"id\":\"a\",\"n\":1,\"price\":1.50,\"tags\":[\"x\",\"y\"],\"extra\":\"surprise\"}\n"
          + "{\"id\":\"b\",\"n\":\"2\",\"price\":null}\n"
          + "{\"id\":\n"
          + "[1,2]\n"
          + "\n"
          + "{\"n\":5}\n";

  private Path raw;
  private JobsCli cli;

  @BeforeEach
  void setUp(TestInfo test) throws IOException {
    Path root = tempDir.resolve(test.getTestMethod().orElseThrow().getName());
    raw = root.resolve("raw");
    Path conf = root.resolve("sources.conf");
    Files.createDirectories(root);
    Files.writeString(conf, SOURCES);
    cli = new JobsCli(spark, raw.toString(), root.resolve("warehouse").toString());
    cli.always("--conf-file", conf.toString());
  }

  private Path write(String relative, String text) throws IOException {
    return write(relative, text.getBytes(StandardCharsets.UTF_8));
  }

  private Path write(String relative, byte[] bytes) throws IOException {
    Path file = raw.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.write(file, bytes);
    return file;
  }

  private static byte[] gzip(String text) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  private Dataset<Row> records(String source) {
    return BronzeTables.records(spark, cli.location("bronze", "demo", source));
  }

  private Dataset<Row> manifest(String source) {
    return BronzeTables.manifest(spark, cli.location("bronze", "demo", source));
  }

  private static String sha256(byte[] bytes) throws Exception {
    StringBuilder hex = new StringBuilder();
    for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) {
      hex.append(String.format("%02x", b));
    }
    return hex.toString();
  }

  // ------------------------------------------------------------------ formats

  @Test
  void csvKeepsEveryFieldAsItArrivedAndFlagsWhatCannotBeParsed() throws IOException {
    write("demo/users/dt=2024-01-01/users.csv", USERS_CSV);

    assertThat(cli.run("demo-bronze-users")).isEqualTo(0);

    assertSameRows(
        df(
            "_line_number BIGINT, user_id STRING, name STRING, signup_date STRING,"
                + " _is_malformed BOOLEAN, _error STRING, _raw_record STRING",
            "{\"_line_number\":2,\"user_id\":\"1\",\"name\":\"Ann\",\"signup_date\":\"2024-01-01\",\"_is_malformed\":false}",
            "{\"_line_number\":3,\"user_id\":\"2\",\"name\":\"Lee, Bob\",\"signup_date\":\"2024-01-02\",\"_is_malformed\":false}",
            "{\"_line_number\":4,\"user_id\":\"3\",\"name\":\"two\\nlines\",\"signup_date\":\"2024-01-03\",\"_is_malformed\":false}",
            "{\"_line_number\":6,\"_is_malformed\":true,\"_error\":\"not valid CSV (misplaced quote)\","
                + "\"_raw_record\":\"4,bad\\\"quote,2024-01-04\"}",
            "{\"_line_number\":7,\"_is_malformed\":true,\"_error\":\"4 fields, the header has 3\","
                + "\"_raw_record\":\"5,too,many,fields\"}",
            "{\"_line_number\":8,\"user_id\":\" 6 \",\"name\":\" spaced \",\"signup_date\":\"\",\"_is_malformed\":false}"),
        records("users")
            .select(
                "_line_number",
                "user_id",
                "name",
                "signup_date",
                "_is_malformed",
                "_error",
                "_raw_record"));
    Row run = cli.lastRun("demo-bronze-users");
    assertThat(run.<Long>getAs("rows_read")).isEqualTo(6L);
    assertThat(run.<Long>getAs("rows_quarantined")).isEqualTo(2L);
  }

  @Test
  void tblNeedsItsTrailingSeparatorAndTheContractsFieldCount() throws IOException {
    write("demo/parts/dt=2024-01-01/part.tbl", PARTS_TBL);

    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);

    assertSameRows(
        df(
            "_line_number BIGINT, part_id STRING, name STRING, price STRING, _error STRING, _raw_record STRING",
            "{\"_line_number\":1,\"part_id\":\"1\",\"name\":\"bolt\",\"price\":\"0.50\"}",
            "{\"_line_number\":2,\"part_id\":\"2\",\"name\":\"nut\",\"price\":\"0.25\"}",
            "{\"_line_number\":3,\"_error\":\"expected 3 '|'-terminated fields, found 2\",\"_raw_record\":\"3|washer|\"}",
            "{\"_line_number\":4,\"_error\":\"no trailing '|' (expected 3 '|'-terminated fields)\","
                + "\"_raw_record\":\"4|screw|1.00\"}"),
        records("parts")
            .select("_line_number", "part_id", "name", "price", "_error", "_raw_record"));
  }

  @Test
  void jsonLinesKeepValuesAsWrittenAndUnknownFieldsInExtras() throws IOException {
    write("demo/events/dt=2024-01-01/e-1.json", EVENTS_JSON);

    assertThat(cli.run("demo-bronze-events")).isEqualTo(0);

    assertSameRows(
        df(
            "_line_number BIGINT, id STRING, n STRING, price STRING, tags STRING,"
                + " _extra_fields MAP<STRING,STRING>, _error STRING, _raw_record STRING",
            "{\"_line_number\":1,\"id\":\"a\",\"n\":\"1\",\"price\":\"1.50\",\"tags\":\"[\\\"x\\\",\\\"y\\\"]\","
                + "\"_extra_fields\":{\"extra\":\"surprise\"}}",
            "{\"_line_number\":2,\"id\":\"b\",\"n\":\"2\"}",
            "{\"_line_number\":3,\"_error\":\"invalid JSON at column 7: Unexpected end-of-input"
                + " within/between Object entries\","
                + "\"_raw_record\":\"{\\\"id\\\":\"}",
            "{\"_line_number\":4,\"_error\":\"not a JSON object\",\"_raw_record\":\"[1,2]\"}",
            "{\"_line_number\":5,\"_error\":\"blank line\",\"_raw_record\":\"\"}",
            "{\"_line_number\":6,\"n\":\"5\"}"),
        records("events")
            .select(
                "_line_number",
                "id",
                "n",
                "price",
                "tags",
                "_extra_fields",
                "_error",
                "_raw_record"));

    Row file = manifest("events").select("_file.*").head();
    assertThat(file.<String>getAs("status")).isEqualTo("new");
    assertThat(file.<Long>getAs("records")).isEqualTo(6L);
    assertThat(file.<Long>getAs("malformed")).isEqualTo(3L);
    assertThat(file.getList(file.fieldIndex("unknown_fields"))).containsExactly("extra");
    assertThat(file.getList(file.fieldIndex("missing_required"))).containsExactly("id (1 records)");
    assertThat(cli.lastRun("demo-bronze-events").<String>getAs("details"))
        .contains("\"unknown_fields\":[\"extra\"]")
        .contains("\"missing_required\":[\"id (1 records)\"]");
  }

  // ------------------------------------------------------------------ metadata

  @Test
  void everyRecordCarriesItsFileLineChecksumAndRun() throws Exception {
    Path file = write("demo/parts/dt=2024-01-05/part.tbl", "1|bolt|0.50|\n");
    Instant modified = Instant.parse("2024-01-05T06:00:00Z");
    Files.setLastModifiedTime(file, FileTime.from(modified));

    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);

    Row run = cli.lastRun("demo-bronze-parts");
    Row record = records("parts").head();
    assertThat(record.<String>getAs("_source_file")).isEqualTo("file:" + file);
    assertThat(record.<java.sql.Date>getAs("_delivery_date")).hasToString("2024-01-05");
    assertThat(record.<Timestamp>getAs("_file_modified_at").toInstant()).isEqualTo(modified);
    Row manifest = manifest("parts").head();
    assertThat(manifest.<Long>getAs("_file_size")).isEqualTo(13L);
    assertThat(manifest.<String>getAs("_file_sha256"))
        .isEqualTo(sha256("1|bolt|0.50|\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(manifest.<String>getAs("_run_id")).isEqualTo(run.getAs("run_id"));
    assertThat(record.<Long>getAs("_line_number")).isEqualTo(1L);
    assertThat(record.<String>getAs("_record_sha256"))
        .isEqualTo(sha256("1|bolt|0.50|".getBytes(StandardCharsets.UTF_8)));
    assertThat(record.<String>getAs("_run_id")).isEqualTo(run.getAs("run_id"));
    assertThat(record.<Timestamp>getAs("_ingested_at"))
        .isAfterOrEqualTo(run.<Timestamp>getAs("start_time"))
        .isBeforeOrEqualTo(run.<Timestamp>getAs("end_time"));
    assertThat(record.<String>getAs("_raw_record")).as("kept only for malformed records").isNull();
  }

  // ------------------------------------------------------------------ exactly once

  @Test
  void aRerunOverTheSameFilesAddsNothingAndSaysSo() throws IOException {
    write("demo/parts/dt=2024-01-01/part.tbl", PARTS_TBL);
    write("demo/parts/dt=2024-01-02/part.tbl", "9|gear|3.00|\n");
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);
    String location = cli.location("bronze", "demo", "parts");
    long version = DeltaTable.forPath(spark, location).history(1).head().getLong(0);

    // Nothing landed since: skipped on the listing alone.
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);
    assertThat(cli.lastRun("demo-bronze-parts").<String>getAs("status")).isEqualTo("skipped");
    // Made to run (another run date): every file is known, nothing is read or written.
    assertThat(cli.run("demo-bronze-parts", "--run-date", "2024-01-03", "--log-format", "json"))
        .isEqualTo(0);

    assertThat(records("parts").count()).isEqualTo(5);
    assertThat(DeltaTable.forPath(spark, location).history(1).head().getLong(0)).isEqualTo(version);
    assertThat(cli.lastRun("demo-bronze-parts").<String>getAs("details"))
        .contains("\"message\":\"0 new files (2 listed, all ingested before)\"");
    assertThat(cli.out()).contains("0 new files");
  }

  @Test
  void aFileDeletedAfterIngestionKeepsItsRowsInBronze() throws IOException {
    write("demo/parts/dt=2024-01-01/part.tbl", PARTS_TBL);
    Path second = write("demo/parts/dt=2024-01-02/part.tbl", "9|gear|3.00|\n");
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);
    String location = cli.location("bronze", "demo", "parts");
    long version = DeltaTable.forPath(spark, location).history(1).head().getLong(0);

    // The landing zone is cleaned up (or a file removed by mistake): bronze is the record of what
    // arrived, so it keeps the file's rows; the listing moved, so the job runs, and reads nothing.
    Files.delete(second);
    assertThat(cli.run("demo-bronze-parts")).as(cli.err()).isEqualTo(0);

    assertThat(cli.lastRun("demo-bronze-parts").<String>getAs("status")).isEqualTo("succeeded");
    assertThat(cli.lastRun("demo-bronze-parts").<String>getAs("details"))
        .contains("\"message\":\"0 new files (1 listed, all ingested before)\"");
    assertThat(DeltaTable.forPath(spark, location).history(1).head().getLong(0)).isEqualTo(version);
    assertThat(
            records("parts")
                .where("part_id = '9'")
                .select("price", "_delivery_date")
                .collectAsList())
        .extracting(r -> r.getString(0) + " " + r.getDate(1))
        .containsExactly("3.00 2024-01-02");
  }

  @Test
  void aNewDeliveryIsPickedUpByTheNextRun() throws IOException {
    write("demo/parts/dt=2024-01-01/part.tbl", PARTS_TBL);
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);

    write("demo/parts/dt=2024-01-08/part.tbl", "9|gear|3.00|\n");
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);

    assertThat(records("parts").where(col("part_id").equalTo("9")).count()).isEqualTo(1);
    assertThat(records("parts").count()).isEqualTo(5);
    Row run = cli.lastRun("demo-bronze-parts");
    assertThat(run.<String>getAs("watermark_before")).isEqualTo("2024-01-01");
    assertThat(run.<String>getAs("watermark_after")).isEqualTo("2024-01-08");
    assertThat(run.<String>getAs("details")).contains("1 new files, 0 re-delivered, 0 unchanged");
  }

  @Test
  void aFileDeliveredAgainWithOtherContentIsIngestedAgainAsARedelivery() throws IOException {
    Path file = write("demo/parts/dt=2024-01-01/part.tbl", "1|bolt|0.50|\n");
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);

    write("demo/parts/dt=2024-01-01/part.tbl", "1|bolt|0.55|\n2|nut|0.25|\n");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);

    assertThat(cli.lastRun("demo-bronze-parts").<String>getAs("details"))
        .contains("0 new files, 1 re-delivered, 0 unchanged; 2 records");
    assertSameRows(
        df(
            "part_id STRING, price STRING, status STRING",
            "{\"part_id\":\"1\",\"price\":\"0.50\",\"status\":\"new\"}",
            "{\"part_id\":\"1\",\"price\":\"0.55\",\"status\":\"re-delivered\"}",
            "{\"part_id\":\"2\",\"price\":\"0.25\",\"status\":\"re-delivered\"}"),
        records("parts")
            .join(manifest("parts").select("_run_id", "_file"), "_run_id")
            .select(col("part_id"), col("price"), col("_file.status").as("status")));
  }

  @Test
  void aFileDeliveredAgainWithItsOldSizeAndModificationTimeIsStillIngestedAgain()
      throws IOException {
    Path file = write("demo/parts/dt=2024-01-01/part.tbl", "1|bolt|0.50|\n");
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);
    FileTime modified = Files.getLastModifiedTime(file);

    // What `cp -p` or `rsync -t` does: other content, same length, the old modification time.
    write("demo/parts/dt=2024-01-01/part.tbl", "1|bolt|0.55|\n");
    Files.setLastModifiedTime(file, modified);
    assertThat(cli.run("demo-bronze-parts")).as(cli.err()).isEqualTo(0);

    assertThat(cli.lastRun("demo-bronze-parts").<String>getAs("status")).isEqualTo("succeeded");
    assertThat(cli.lastRun("demo-bronze-parts").<String>getAs("details"))
        .contains("0 new files, 1 re-delivered, 0 unchanged; 1 records");
    assertThat(records("parts").select("price").collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder("0.50", "0.55");
  }

  @Test
  void aFileTouchedWithoutChangingIsNotIngestedAgain() throws IOException {
    Path file = write("demo/parts/dt=2024-01-01/part.tbl", PARTS_TBL);
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);

    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);

    assertThat(records("parts").count()).isEqualTo(4);
    assertThat(manifest("parts").select("_file.status").collectAsList())
        .extracting(r -> r.getString(0))
        .containsExactlyInAnyOrder("new", "unchanged");
    // The third run finds the landing zone as the second left it: nothing to do, nothing read.
    assertThat(cli.lastRun("demo-bronze-parts").<String>getAs("status")).isEqualTo("skipped");
  }

  // ------------------------------------------------------------------ drift and bad input

  @Test
  void aRequiredFieldMissingFromAHeaderAndAnUnknownColumnAreReportedPerFile() throws IOException {
    write(
        "demo/users/dt=2024-01-01/users.csv", "name,signup_date,nickname\nAnn,2024-01-01,annie\n");

    assertThat(cli.run("demo-bronze-users")).isEqualTo(0);

    Row file = manifest("users").select("_file.*").head();
    assertThat(file.getList(file.fieldIndex("missing_required")))
        .containsExactly("user_id (header)");
    assertThat(file.getList(file.fieldIndex("unknown_fields"))).containsExactly("nickname");
    Row record = records("users").head();
    assertThat(record.<String>getAs("name")).isEqualTo("Ann");
    assertThat(record.getJavaMap(record.fieldIndex("_extra_fields")))
        .isEqualTo(Map.of("nickname", "annie"));
    assertThat(cli.lastRun("demo-bronze-users").<String>getAs("details"))
        .contains("\"missing_required\":[\"user_id (header)\"]");
  }

  @Test
  void aWrongDelimiterShowsAsMissingFieldsNotAsSilentNulls() throws IOException {
    write("demo/users/dt=2024-01-01/users.csv", "user_id;name;signup_date\n1;Ann;2024-01-01\n");

    assertThat(cli.run("demo-bronze-users")).isEqualTo(0);

    Row file = manifest("users").select("_file.*").head();
    assertThat(file.getList(file.fieldIndex("missing_required")))
        .containsExactly("user_id (header)");
    assertThat(file.getList(file.fieldIndex("unknown_fields")))
        .containsExactly("user_id;name;signup_date");
  }

  @Test
  void emptyFilesAndLinesThatAreNotUtf8AreKeptAndNamed() throws IOException {
    write("demo/parts/dt=2024-01-01/empty.tbl", "");
    byte[] latin1 = "7|caf\u00e9|1.00|\n8|tea|2.00|\n".getBytes(StandardCharsets.ISO_8859_1);
    write("demo/parts/dt=2024-01-01/latin1.tbl", latin1);

    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);

    assertSameRows(
        df(
            "_line_number BIGINT, part_id STRING, _error STRING, _raw_record STRING",
            "{\"_line_number\":1,\"_error\":\"not valid UTF-8\",\"_raw_record\":\"7|caf\\ufffd|1.00|\"}",
            "{\"_line_number\":2,\"part_id\":\"8\"}"),
        records("parts").select("_line_number", "part_id", "_error", "_raw_record"));
    assertThat(manifest("parts").select(col("_source_file"), col("_file.problems")).collectAsList())
        .extracting(r -> r.getString(0).replaceAll(".*/", "") + " " + r.getList(1))
        .containsExactlyInAnyOrder(
            "empty.tbl [empty file]",
            "latin1.tbl [1 lines are not valid UTF-8, 1 malformed records]");
  }

  @Test
  void aJsonValueBeyondTheParsersLimitIsAMalformedRecordNotACrash() throws IOException {
    // 25 MB in one string: above Jackson's 20,000,000-character limit for one value.
    String huge = "x".repeat(25_000_000);
    write(
        "demo/events/dt=2024-01-01/e.json",
        "{\"id\":\"a\",\"n\":1}\n{\"id\":\"big\",\"tags\":\"" + huge + "\"}\n{\"id\":\"c\"}\n");

    assertThat(cli.run("demo-bronze-events")).as(cli.err()).isEqualTo(0);

    List<Row> rows =
        records("events")
            .select(
                col("_line_number"),
                col("id"),
                col("_is_malformed"),
                col("_error"),
                org.apache.spark.sql.functions.length(col("_raw_record")))
            .orderBy("_line_number")
            .collectAsList();
    assertThat(rows)
        .extracting(r -> r.get(0) + " " + r.get(1) + " " + r.get(2))
        .containsExactly("1 a false", "2 null true", "3 c false");
    assertThat(rows.get(1).getString(3))
        .startsWith("invalid JSON: String length (")
        .endsWith("exceeds the maximum length (20000000)");
    assertThat(rows.get(1).getInt(4))
        .isEqualTo(25_000_000 + "{\"id\":\"big\",\"tags\":\"\"}".length());
  }

  @Test
  void aDeliveryFolderThatIsNotADateStopsTheRunNamingTheFile() throws IOException {
    write("demo/users/dt=2024-01-01/good.csv", "user_id,name,signup_date\n1,Ann,2024-01-01\n");
    write("demo/users/dt=2024-02-30/bad.csv", "user_id,name,signup_date\n2,Bo,2024-01-02\n");

    assertThat(cli.run("demo-bronze-users")).isEqualTo(1);

    assertThat(cli.err())
        .contains("dt=2024-02-30/bad.csv: its delivery folder 'dt=2024-02-30' is not a date");
    assertThat(Path.of(cli.location("bronze", "demo", "users"))).doesNotExist();
  }

  @Test
  void filesBesideTheDeliveriesThatNoPatternMatchesAreNamedNotIgnored() throws IOException {
    write("demo/parts/dt=2024-01-01/part.tbl", PARTS_TBL);
    write("demo/parts/part.tbl", "9|gear|3.00|\n"); // no dt= folder
    write("demo/parts/dt=2024-01-02/part.TBL", "8|cog|2.00|\n"); // misnamed
    write("demo/parts/dt=2024-01-02/_SUCCESS", ""); // a marker, not a delivery
    assertThat(cli.run("demo-bronze-parts", "--log-format", "json")).as(cli.err()).isEqualTo(0);

    assertThat(cli.lastRun("demo-bronze-parts").<String>getAs("details"))
        .contains(
            "\"files_unclaimed\":2,\"files_unclaimed_examples\":"
                + "[\"demo/parts/dt=2024-01-02/part.TBL\",\"demo/parts/part.tbl\"]");
    assertThat(cli.out()).contains("\"files_unclaimed\":2"); // the run's summary line
    assertThat(records("parts").count()).isEqualTo(4);

    // Nothing else changed, but a stray file arriving is reason enough to run and say so again.
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);
    assertThat(cli.lastRun("demo-bronze-parts").<String>getAs("status")).isEqualTo("skipped");
    write("demo/parts/part2.tbl", "7|pin|0.10|\n");
    assertThat(cli.run("demo-bronze-parts")).isEqualTo(0);
    assertThat(cli.lastRun("demo-bronze-parts").<String>getAs("details"))
        .contains("\"files_unclaimed\":3");

    // Where a stray file must stop the run: it is named, and nothing is committed.
    write("demo/parts/dt=2024-01-03/part.tbl", "6|nut|0.20|\n");
    long version =
        io.delta.tables.DeltaTable.forPath(spark, cli.location("bronze", "demo", "parts"))
            .history(1)
            .head()
            .<Long>getAs("version");
    assertThat(
            cli.run(
                "demo-bronze-parts", "--set", "bronze.sources.demo.parts.on-unclaimed-file=fail"))
        .isEqualTo(1);
    assertThat(cli.err())
        .contains(
            "'demo/parts/dt=2024-01-02/part.TBL' is beside the deliveries of bronze.demo.parts but"
                + " matches no source's pattern (and 2 more files); move or rename it, or add a"
                + " pattern (bronze.sources.demo.parts.on-unclaimed-file = fail)");
    assertThat(
            io.delta.tables.DeltaTable.forPath(spark, cli.location("bronze", "demo", "parts"))
                .history(1)
                .head()
                .<Long>getAs("version"))
        .isEqualTo(version);
  }

  @Test
  void gzipDeliveriesAreReadWhateverTheyAreNamed() throws IOException {
    write(
        "demo/events/dt=2024-01-01/e.json.gz",
        gzip("{\"id\":\"a\",\"n\":1}\n{\"id\":\"b\",\"n\":2}\n"));
    // gzip content under a plain name: found by its magic bytes, not by its name.
    write("demo/users/dt=2024-01-01/u.csv", gzip("user_id,name,signup_date\n1,Ann,2024-01-01\n"));

    assertThat(cli.run("demo-bronze-events")).as(cli.err()).isEqualTo(0);
    assertThat(cli.run("demo-bronze-users")).as(cli.err()).isEqualTo(0);

    assertSameRows(
        df(
            "_line_number BIGINT, id STRING, n STRING, _is_malformed BOOLEAN",
            "{\"_line_number\":1,\"id\":\"a\",\"n\":\"1\",\"_is_malformed\":false}",
            "{\"_line_number\":2,\"id\":\"b\",\"n\":\"2\",\"_is_malformed\":false}"),
        records("events").select("_line_number", "id", "n", "_is_malformed"));
    assertSameRows(
        df(
            "user_id STRING, name STRING, _is_malformed BOOLEAN",
            "{\"user_id\":\"1\",\"name\":\"Ann\",\"_is_malformed\":false}"),
        records("users").select("user_id", "name", "_is_malformed"));
    assertThat(records("events").select("_source_file").first().getString(0)).endsWith("e.json.gz");
  }

  @Test
  void aByteOrderMarkAndWindowsLineEndingsAreNotPartOfAnyValue() throws IOException {
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] text =
        "user_id,name,signup_date\r\n1,Ann,2024-01-01\r\n2,Bo,2024-01-02\r\n"
            .getBytes(StandardCharsets.UTF_8);
    byte[] file = new byte[bom.length + text.length];
    System.arraycopy(bom, 0, file, 0, bom.length);
    System.arraycopy(text, 0, file, bom.length, text.length);
    write("demo/users/dt=2024-01-01/u.csv", file);

    assertThat(cli.run("demo-bronze-users")).as(cli.err()).isEqualTo(0);

    assertSameRows(
        df(
            "user_id STRING, signup_date STRING, _is_malformed BOOLEAN",
            "{\"user_id\":\"1\",\"signup_date\":\"2024-01-01\",\"_is_malformed\":false}",
            "{\"user_id\":\"2\",\"signup_date\":\"2024-01-02\",\"_is_malformed\":false}"),
        records("users").select("user_id", "signup_date", "_is_malformed"));
    assertThat(manifest("users").select(col("_file.problems")).first().getList(0)).isEmpty();
  }

  // ------------------------------------------------------------------ atomicity

  @Test
  void aRunThatFailsHalfWayLeavesNothingAndTheRerunGivesTheRowsOfOneCleanRun() throws IOException {
    write("demo/events/dt=2024-01-01/e-1.json", "{\"id\":\"a\",\"n\":1}\n{\"id\":\"b\",\"n\":2}\n");
    write("demo/events/dt=2024-01-02/e-1.json", "{\"n\":3}\n");
    write("demo/events/dt=2024-01-03/e-1.json", "{\"id\":\"d\",\"n\":4}\n");
    String strict = "bronze.sources.demo.events.on-missing-required=fail";

    int failed = cli.run("demo-bronze-events", "--set", strict);

    assertThat(failed).isEqualTo(1);
    assertThat(cli.err())
        .contains("demo/events/dt=2024-01-02/e-1.json line 1: required field 'id' is missing");
    assertThat(BronzeTables.exists(spark, cli.location("bronze", "demo", "events"))).isFalse();
    assertThat(cli.lastRun("demo-bronze-events").<String>getAs("status")).isEqualTo("failed");

    write("demo/events/dt=2024-01-02/e-1.json", "{\"id\":\"c\",\"n\":3}\n");
    assertThat(cli.run("demo-bronze-events", "--set", strict)).isEqualTo(0);
    assertThat(cli.run("demo-bronze-events", "--set", strict)).isEqualTo(0);

    assertSameRows(
        df(
            "id STRING, n STRING, _line_number BIGINT, _delivery_date DATE",
            "{\"id\":\"a\",\"n\":\"1\",\"_line_number\":1,\"_delivery_date\":\"2024-01-01\"}",
            "{\"id\":\"b\",\"n\":\"2\",\"_line_number\":2,\"_delivery_date\":\"2024-01-01\"}",
            "{\"id\":\"c\",\"n\":\"3\",\"_line_number\":1,\"_delivery_date\":\"2024-01-02\"}",
            "{\"id\":\"d\",\"n\":\"4\",\"_line_number\":1,\"_delivery_date\":\"2024-01-03\"}"),
        records("events").select("id", "n", "_line_number", "_delivery_date"));
    assertThat(manifest("events").count()).isEqualTo(3);
  }

  @Test
  void anUnknownFieldCanStopTheRunWhenTheSourceSaysSo() throws IOException {
    write("demo/events/dt=2024-01-01/e-1.json", EVENTS_JSON);

    int code =
        cli.run("demo-bronze-events", "--set", "bronze.sources.demo.events.on-unknown-field=fail");

    assertThat(code).isEqualTo(1);
    assertThat(cli.err())
        .contains("e-1.json line 1: field 'extra' is not in the contract of bronze.demo.events");
  }

  @Test
  void aBadContractIsAConfigurationErrorNamingTheKey() {
    int code =
        cli.run(
            "demo-bronze-events",
            "--set",
            "bronze.sources.demo.events.format=xml",
            "--set",
            "bronze.sources.demo.events.on-unknown-field=ignore");

    assertThat(code).isEqualTo(2);
    assertThat(cli.err())
        .contains("bronze.sources.demo.events.format: 'xml' is not one of [csv, jsonl, tbl]")
        .contains(
            "bronze.sources.demo.events.on-unknown-field: 'ignore' is not one of [fail, warn]");
  }

  @Test
  void eachSourceIsAJobInTheManifest() {
    assertThat(cli.run("list", "--json")).isEqualTo(0);

    JsonNode demo = null;
    for (JsonNode job : readJson(cli.out()).get("jobs")) {
      if (job.get("name").asText().equals("demo-bronze-events")) {
        demo = job;
      }
    }
    assertThat(demo).isNotNull();
    assertThat(demo.toString())
        .isEqualTo(
            "{\"name\":\"demo-bronze-events\",\"layer\":\"bronze\",\"domain\":\"demo\","
                + "\"inputs\":[\"raw.demo.events\"],\"outputs\":[\"bronze.demo.events\"]}");
    assertThat(cli.out()).contains("\"name\" : \"mentoring-bronze-booking-events\"");
  }

  private static JsonNode readJson(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void unreadableFilesStopTheRunNamingTheFile() {
    BronzeSource source =
        BronzeSource.all(
                new ConfigReader(ConfigFactory.parseString(SOURCES + DEFAULTS)).at("bronze"))
            .stream()
            .filter(s -> s.name().equals("parts"))
            .findFirst()
            .orElseThrow();
    FileIngestor ingestor =
        new FileIngestor(
            source, new SerializableHadoopConf(new Configuration()), "run", new Timestamp(0));
    Row missing =
        RowFactory.create("file:" + raw.resolve("gone.tbl"), 10L, new Timestamp(0), null, null);

    assertThatThrownBy(() -> ingestor.call(missing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot read file:" + raw.resolve("gone.tbl"));
  }
}
