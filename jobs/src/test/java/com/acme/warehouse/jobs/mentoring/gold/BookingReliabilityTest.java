package com.acme.warehouse.jobs.mentoring.gold;

import static org.assertj.core.api.Assertions.assertThat;

import com.acme.warehouse.common.testing.SparkTestBase;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Booking reliability on a handful of bookings: ended ones only, and the exact median minutes to
 * confirm — a figure that does not depend on how the facts happen to be stored or read.
 */
class BookingReliabilityTest extends SparkTestBase {
  @Test
  void theMedianMinutesToConfirmIsExactAndPendingBookingsAreLeftOut() {
    Row gold =
        BookingReliability.byTier(
                df(
                        "tier STRING, status STRING, confirmed_at TIMESTAMP, cancelled_by STRING,"
                            + " minutes_to_confirm DOUBLE",
                        "{'tier':'Gold','status':'attended','confirmed_at':'2024-01-01T00:00:00Z','minutes_to_confirm':40.0}",
                        "{'tier':'Gold','status':'attended','confirmed_at':'2024-01-01T00:00:00Z','minutes_to_confirm':10.0}",
                        "{'tier':'Gold','status':'no_show','confirmed_at':'2024-01-01T00:00:00Z','minutes_to_confirm':30.0}",
                        "{'tier':'Gold','status':'cancelled','confirmed_at':'2024-01-01T00:00:00Z','cancelled_by':'user','minutes_to_confirm':20.0}",
                        "{'tier':'Gold','status':'requested'}",
                        "{'tier':'Gold','status':'pending','confirmed_at':'2024-01-01T00:00:00Z','minutes_to_confirm':1000.0}")
                    .repartition(3))
            .head();
    assertThat(gold.<Long>getAs("bookings")).isEqualTo(5);
    assertThat(gold.<Double>getAs("confirmation_rate")).isEqualTo(0.8);
    assertThat(gold.<Double>getAs("cancelled_by_user_rate")).isEqualTo(0.2);
    assertThat(gold.<Double>getAs("no_show_rate")).isEqualTo(0.2);
    assertThat(gold.<Double>getAs("completion_rate")).isEqualTo(0.4);
    // Between the two middle values 20 and 30 (an approximate percentile answers one of them).
    assertThat(gold.<Double>getAs("median_minutes_to_confirm")).isEqualTo(25.0);
  }
}
