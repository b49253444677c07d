package com.acme.warehouse.jobs.bench;

import com.amazon.deequ.VerificationResult;
import com.amazon.deequ.VerificationSuite;
import com.amazon.deequ.analyzers.AnalyzerOptions;
import com.amazon.deequ.checks.Check;
import com.amazon.deequ.checks.CheckLevel;
import com.amazon.deequ.checks.CheckStatus;
import java.time.Instant;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import scala.Option;

/**
 * The quality benchmark's one-pass checks declared through Deequ (its analyzers share one scan):
 * the measurement behind keeping our own quality runner. Deequ 2.0.7 is built for Scala 2.12 only,
 * so the Scala 2.13 build leaves this class out.
 */
final class DeequChecks {
  private DeequChecks() {}

  /**
   * Not null (session_id, user_id, started_at), unique session_id, accepted status values, score in
   * [1, 5], at least {@code minRows} rows, newest started_at after {@code freshAfter}.
   */
  static boolean pass(Dataset<Row> facts, long minRows, Instant freshAfter) {
    Option<String> noHint = Option.empty();
    Option<AnalyzerOptions> defaults = Option.empty();
    long freshAfterSeconds = freshAfter.getEpochSecond();
    Check check =
        new Check(CheckLevel.Error(), "facts", Check.$lessinit$greater$default$3())
            .isComplete("session_id", noHint, defaults)
            .isComplete("user_id", noHint, defaults)
            .isComplete("started_at", noHint, defaults)
            .isUnique("session_id", noHint, defaults)
            .isContainedIn("status", new String[] {"requested", "confirmed", "attended"})
            .isContainedIn("score", 1, 5, true, true, noHint, defaults)
            .hasSize(rows -> (Long) rows >= minRows, noHint)
            // Deequ's maximum is numeric: the timestamp as epoch seconds.
            .hasMax(
                "started_epoch", newest -> (Double) newest > freshAfterSeconds, noHint, defaults);
    VerificationResult result =
        VerificationSuite.apply()
            .onData(
                facts.withColumn(
                    "started_epoch", functions.unix_timestamp(functions.col("started_at"))))
            .addCheck(check)
            .run();
    return result.status() == CheckStatus.Success();
  }
}
