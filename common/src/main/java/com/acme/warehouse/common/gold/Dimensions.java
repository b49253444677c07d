package com.acme.warehouse.common.gold;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.dayofmonth;
import static org.apache.spark.sql.functions.dayofweek;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.month;
import static org.apache.spark.sql.functions.quarter;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.trunc;
import static org.apache.spark.sql.functions.weekofyear;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.year;

import com.acme.warehouse.common.config.ConfigReader;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * What every star schema shares: the unknown member a fact points to when its dimension row is
 * missing (kept and visible, never dropped, never a NULL key), point-in-time joins to SCD2
 * dimensions, and the generated date dimension.
 *
 * <p><b>Facts older than a dimension's first version</b> follow one policy, by what the versions'
 * times mean. When a history starts at a <em>delivery</em> (the first extract that listed the key:
 * commerce's customers, suppliers and parts), the key existed before anyone told us, so its first
 * version reaches back to the beginning ({@link #fromBeginning}) and an earlier fact gets it. When
 * a history starts at a <em>business time</em> the source states (a mentor's tier {@code
 * effective_from}, a user's or an agent's {@code updated_at}), nothing is known of the key before
 * it, so an earlier fact gets the unknown member ({@link #keyAt} does that by itself), counted and
 * visible rather than given a version that was not yet true.
 */
public final class Dimensions {
  /** The key of every dimension's unknown member: no SHA-256 value looks like it. */
  public static final String UNKNOWN_KEY = "0".repeat(64);

  /** Where the unknown member's validity starts: before any real version. */
  public static final Timestamp BEGINNING = Timestamp.from(Instant.parse("1900-01-01T00:00:00Z"));

  private Dimensions() {}

  /**
   * The versions with each key's first one valid since {@link #BEGINNING}: for a history whose
   * times are deliveries, not business times (see the class comment).
   */
  public static Dataset<Row> fromBeginning(Dataset<Row> versions, String key) {
    Column first = row_number().over(Window.partitionBy(key).orderBy("valid_from")).equalTo(1);
    return versions.withColumn(
        "valid_from", when(first, lit(BEGINNING)).otherwise(col("valid_from")));
  }

  /**
   * Joins each fact row to the dimension version valid at the fact's time ({@code valid_from <= at
   * < valid_to}), adding the version's key as {@code keyAs}; a fact with no such version gets the
   * unknown member's key.
   *
   * @param dimension rows with the business key, {@code valid_from}, {@code valid_to} and the
   *     version key column {@code dimensionKey}
   */
  public static Dataset<Row> keyAt(
      Dataset<Row> facts,
      String factId,
      Column at,
      Dataset<Row> dimension,
      String dimensionId,
      String dimensionKey,
      String keyAs) {
    Dataset<Row> versions =
        dimension.select(
            col(dimensionId).as("_dim_id"),
            col("valid_from").as("_dim_from"),
            col("valid_to").as("_dim_to"),
            col(dimensionKey).as(keyAs));
    Column valid =
        col(factId)
            .equalTo(col("_dim_id"))
            .and(col("_dim_from").leq(at))
            .and(col("_dim_to").isNull().or(at.lt(col("_dim_to"))));
    return facts
        .join(versions, valid, "left")
        .withColumn(keyAs, coalesce(col(keyAs), lit(UNKNOWN_KEY)))
        .drop("_dim_id", "_dim_from", "_dim_to");
  }

  /**
   * {@code gold.fiscal-year-start-month}: the month every {@code dim_date}'s fiscal year starts.
   */
  public static int fiscalYearStartMonth(ConfigReader config) {
    return config.at("gold").intInRange("fiscal-year-start-month", 1, 12);
  }

  /** The key a date dimension uses for a date: {@code yyyyMMdd} as an int. */
  public static Column dateKey(Column date) {
    return date_format(date, "yyyyMMdd").cast("int");
  }

  /**
   * The date dimension over a range read from the data (a row of min and max DATE): from the first
   * of the earliest month to the latest day; without dates yet (both NULL) an empty table with the
   * same columns, so that the facts that join it always find it.
   */
  public static Dataset<Row> datesCovering(SparkSession spark, Row range, int fiscalStartMonth) {
    if (range.isNullAt(0)) {
      LocalDate any = LocalDate.of(2000, 1, 1);
      return dates(spark, any, any, fiscalStartMonth).limit(0);
    }
    return dates(
        spark,
        range.getDate(0).toLocalDate().withDayOfMonth(1),
        range.getDate(1).toLocalDate(),
        fiscalStartMonth);
  }

  /**
   * One row per day from {@code first} to {@code last}, with calendar attributes and the fiscal
   * year and quarter of a fiscal year starting in {@code fiscalStartMonth} (1 = calendar year; a
   * fiscal year is named by the calendar year it ends in).
   */
  public static Dataset<Row> dates(
      SparkSession spark, LocalDate first, LocalDate last, int fiscalStartMonth) {
    Column d = col("date");
    Column monthsIntoFiscal = positiveMod(month(d).minus(fiscalStartMonth), 12);
    Column fiscalYear =
        fiscalStartMonth == 1
            ? year(d)
            : when(month(d).geq(fiscalStartMonth), year(d).plus(1)).otherwise(year(d));
    return spark
        .range(1)
        .select(
            org.apache
                .spark
                .sql
                .functions
                .explode(sequence(lit(Date.valueOf(first)), lit(Date.valueOf(last))))
                .as("date"))
        .select(
            dateKey(d).as("date_key"),
            d,
            year(d).as("year"),
            quarter(d).as("quarter"),
            month(d).as("month"),
            date_format(d, "MMMM").as("month_name"),
            trunc(d, "month").as("month_start"),
            dayofmonth(d).as("day_of_month"),
            // ISO day of week: Monday 1 .. Sunday 7.
            positiveMod(dayofweek(d).plus(5), 7).plus(1).as("day_of_week"),
            date_format(d, "EEEE").as("day_name"),
            dayofweek(d).isin(1, 7).as("is_weekend"),
            weekofyear(d).as("iso_week"),
            fiscalYear.as("fiscal_year"),
            monthsIntoFiscal.divide(3).cast("int").plus(1).as("fiscal_quarter"));
  }

  /**
   * A dimension's unknown member: the unknown key, "Unknown" in the label column, valid since
   * {@link #BEGINNING} and current; every other column NULL.
   */
  public static Dataset<Row> unknownMember(
      Dataset<Row> dimension, String keyColumn, String labelColumn) {
    Column[] columns = new Column[dimension.columns().length];
    for (int i = 0; i < columns.length; i++) {
      String name = dimension.columns()[i];
      Object value = null;
      if (name.equals(keyColumn)) {
        value = UNKNOWN_KEY;
      } else if (name.equals(labelColumn)) {
        value = "Unknown";
      } else if (name.equals("valid_from")) {
        value = BEGINNING;
      } else if (name.equals("is_current")) {
        value = true;
      } else if (name.equals("is_deleted")) {
        value = false;
      }
      columns[i] = lit(value).cast(dimension.schema().apply(name).dataType()).as(name);
    }
    return dimension.sparkSession().range(1).select(columns);
  }

  private static Column positiveMod(Column value, int divisor) {
    return org.apache.spark.sql.functions.pmod(value, lit(divisor));
  }
}
