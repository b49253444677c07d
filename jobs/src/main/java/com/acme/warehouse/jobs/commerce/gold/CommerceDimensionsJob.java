package com.acme.warehouse.jobs.commerce.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;

import com.acme.warehouse.common.gold.ChangeFeed;
import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.gold.GoldTables;
import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.jobs.commerce.CommerceTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code commerce-gold-dimensions}: {@code dim_customer} and {@code dim_supplier} (SCD2, with their
 * nation and region folded in), {@code dim_part} (SCD2), each with its unknown member, and {@code
 * dim_date} over whole years of order dates. Their versions start at delivery dates, so by the
 * early-facts policy ({@link Dimensions#fromBeginning}) the first version of each key is valid
 * since the beginning: an order placed before the first extract belongs to the customer, part and
 * supplier as first seen. The dimensions are rebuilt whole when a silver input changed (their Delta
 * versions are the watermark) and otherwise kept, so the facts keyed to them stay incremental;
 * {@code dim_date} grows when orders fall outside it.
 */
public final class CommerceDimensionsJob implements Job {
  private static final List<TableId> SOURCES =
      List.of(
          CommerceTables.CUSTOMER,
          CommerceTables.SUPPLIER,
          CommerceTables.PART,
          CommerceTables.NATION,
          CommerceTables.REGION);

  private final int fiscalStartMonth;

  private CommerceDimensionsJob(int fiscalStartMonth) {
    this.fiscalStartMonth = fiscalStartMonth;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("commerce-gold-dimensions")
        .layer(Layer.GOLD)
        .domain(CommerceTables.DOMAIN)
        .inputs(
            List.of(
                CommerceTables.CUSTOMER,
                CommerceTables.SUPPLIER,
                CommerceTables.PART,
                CommerceTables.NATION,
                CommerceTables.REGION,
                CommerceTables.ORDERS))
        .outputs(
            List.of(
                CommerceTables.DIM_CUSTOMER,
                CommerceTables.DIM_SUPPLIER,
                CommerceTables.DIM_PART,
                CommerceTables.DIM_DATE))
        .description("SCD2 customer, supplier and part dimensions (nation, region folded in)")
        .factory(
            (config, app) -> new CommerceDimensionsJob(Dimensions.fiscalYearStartMonth(config)))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    SparkSession spark = context.spark();
    Watermark before = Watermark.parse(context.previousWatermark());
    Watermark now = Watermark.parse(Optional.empty());
    for (TableId input : SOURCES) {
      now =
          now.with(
              input.name(),
              Optional.of(Long.toString(ChangeFeed.version(spark, context.location(input)))));
    }
    long days = dates(context);
    boolean built = ChangeFeed.version(spark, context.location(CommerceTables.DIM_CUSTOMER)) >= 0;
    if (built && now.toString().equals(before.toString())) {
      return JobResult.builder()
          .rowsWritten(days)
          .watermarkBefore(before.toString())
          .watermarkAfter(now.toString())
          .detail("dimensions", "inputs unchanged since the last run: kept")
          .detail("dim_date", days)
          .build();
    }
    Dataset<Row> nations =
        nations(context.read(CommerceTables.NATION), context.read(CommerceTables.REGION));
    Dataset<Row> customers = customers(context.read(CommerceTables.CUSTOMER), nations);
    Dataset<Row> suppliers = suppliers(context.read(CommerceTables.SUPPLIER), nations);
    Dataset<Row> parts = parts(context.read(CommerceTables.PART));
    long rows = 0;
    rows += write(customers, "customer_key", "customer_name", context, CommerceTables.DIM_CUSTOMER);
    rows += write(suppliers, "supplier_key", "supplier_name", context, CommerceTables.DIM_SUPPLIER);
    rows += write(parts, "part_key", "part_name", context, CommerceTables.DIM_PART);
    return JobResult.builder()
        .rowsWritten(rows + days)
        .watermarkBefore(before.orNull())
        .watermarkAfter(now.toString())
        .detail("dim_date", days)
        .build();
  }

  /** Each nation with its name and its region's name. */
  static Dataset<Row> nations(Dataset<Row> nation, Dataset<Row> region) {
    return nation
        .join(region, col("n_regionkey").equalTo(col("r_regionkey")), "left")
        .select(col("n_nationkey"), col("n_name").as("nation"), col("r_name").as("region"));
  }

  /** {@code dim_customer} (without its unknown member): a row per customer version. */
  static Dataset<Row> customers(Dataset<Row> versions, Dataset<Row> nations) {
    return versionRows(
        Dimensions.fromBeginning(versions, "c_custkey")
            .join(nations, col("c_nationkey").equalTo(col("n_nationkey")), "left"),
        "customer_key",
        col("c_custkey").as("customer_id"),
        col("c_name").as("customer_name"),
        col("c_address").as("address"),
        col("c_phone").as("phone"),
        col("c_acctbal").as("account_balance"),
        col("c_mktsegment").as("market_segment"),
        col("nation"),
        col("region"));
  }

  /** {@code dim_supplier} (without its unknown member): a row per supplier version. */
  static Dataset<Row> suppliers(Dataset<Row> versions, Dataset<Row> nations) {
    return versionRows(
        Dimensions.fromBeginning(versions, "s_suppkey")
            .join(nations, col("s_nationkey").equalTo(col("n_nationkey")), "left"),
        "supplier_key",
        col("s_suppkey").as("supplier_id"),
        col("s_name").as("supplier_name"),
        col("s_address").as("address"),
        col("s_phone").as("phone"),
        col("s_acctbal").as("account_balance"),
        col("nation"),
        col("region"));
  }

  /** {@code dim_part} (without its unknown member): a row per part version. */
  static Dataset<Row> parts(Dataset<Row> versions) {
    return versionRows(
        Dimensions.fromBeginning(versions, "p_partkey"),
        "part_key",
        col("p_partkey").as("part_id"),
        col("p_name").as("part_name"),
        col("p_mfgr").as("manufacturer"),
        col("p_brand").as("brand"),
        col("p_type").as("part_type"),
        col("p_size").as("size"),
        col("p_container").as("container"),
        col("p_retailprice").as("retail_price"));
  }

  /**
   * Makes {@code dim_date} cover whole years from the first to the last order date, rebuilding it
   * only when orders fall outside it; returns the days written (0 when it already covers them).
   */
  private long dates(JobContext context) {
    Row range =
        context.read(CommerceTables.ORDERS).agg(min("o_orderdate"), max("o_orderdate")).head();
    if (range.isNullAt(0)) {
      return 0;
    }
    LocalDate first = range.getDate(0).toLocalDate().withDayOfYear(1);
    LocalDate last = range.getDate(1).toLocalDate().withMonth(12).withDayOfMonth(31);
    String location = context.location(CommerceTables.DIM_DATE);
    if (ChangeFeed.version(context.spark(), location) >= 0) {
      Row have = context.read(CommerceTables.DIM_DATE).agg(min("date"), max("date")).head();
      if (!have.isNullAt(0)
          && !have.getDate(0).toLocalDate().isAfter(first)
          && !have.getDate(1).toLocalDate().isBefore(last)) {
        return 0;
      }
    }
    Dataset<Row> dates = Dimensions.dates(context.spark(), first, last, fiscalStartMonth);
    GoldTables.replace(dates, location);
    return dates.count();
  }

  private static long write(
      Dataset<Row> dimension, String key, String label, JobContext context, TableId table) {
    Dataset<Row> withUnknown =
        dimension.unionByName(Dimensions.unknownMember(dimension, key, label));
    GoldTables.replace(withUnknown, context.location(table));
    return context.read(table).count();
  }

  /**
   * A dimension's rows: its key (the version key), its attributes, then the version's SCD2 columns.
   */
  private static Dataset<Row> versionRows(Dataset<Row> versions, String key, Column... attributes) {
    List<Column> columns = new ArrayList<>();
    columns.add(col("version_key").as(key));
    columns.addAll(List.of(attributes));
    for (String scd : List.of("is_deleted", "valid_from", "valid_to", "is_current")) {
      columns.add(col(scd));
    }
    return versions.select(columns.toArray(new Column[0]));
  }
}
