package com.acme.warehouse.jobs.commerce.silver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.date_format;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_timestamp;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.job.Job;
import com.acme.warehouse.common.job.JobContext;
import com.acme.warehouse.common.job.JobDefinition;
import com.acme.warehouse.common.job.JobResult;
import com.acme.warehouse.common.job.Layer;
import com.acme.warehouse.common.job.TableId;
import com.acme.warehouse.common.scd.Scd2Merge;
import com.acme.warehouse.common.scd.ScdResult;
import com.acme.warehouse.common.scd.ScdSpec;
import com.acme.warehouse.common.silver.Quarantine;
import com.acme.warehouse.common.silver.SilverTables;
import com.acme.warehouse.common.silver.Watermark;
import com.acme.warehouse.common.spark.DriverRows;
import com.acme.warehouse.common.spark.ScalaSeqs;
import com.acme.warehouse.jobs.bronze.BronzeSource;
import com.acme.warehouse.jobs.bronze.BronzeTables;
import com.acme.warehouse.jobs.commerce.CommerceTables;
import com.acme.warehouse.jobs.silver.Acceptance;
import com.acme.warehouse.jobs.silver.ContractTyping;
import com.acme.warehouse.jobs.silver.TypedRows;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code commerce-silver-orders}: orders and their line items as SCD2 histories that survive the
 * source's deletes. Every delivery (the base load, each refresh set) is effective at its delivery
 * date, so the new bronze rows of several sets are applied in one MERGE per table, each at its
 * place in history; a set delivered late (an older {@code dt} than one already applied) lands
 * between the versions around it, exactly as if it had come in order.
 *
 * <ul>
 *   <li>An order key delivered again is a new version when anything changed (status, price, ...).
 *       An order re-delivered brings its complete set of lines: a line it no longer has is closed
 *       with a deleted version at that delivery.
 *   <li>{@code delete.N}: each key becomes a deleted version of the order (it keeps the values it
 *       had, so what was cancelled stays measurable), and each of its lines a deleted version too:
 *       lines are kept and marked, never removed. Deleting a deleted order again adds nothing. A
 *       delete for a key never delivered (before that set) goes to {@code order_deletes_quarantine}
 *       with the reason.
 *   <li>Rows that cannot be typed go to the table's quarantine, as do rows that cannot take a place
 *       in history: a file in a folder whose {@code dt=} is no date ({@code
 *       delivery_date_missing}), two different rows of an order or line in one delivery, or a row
 *       for an order or line and delivery already applied with other values ({@code
 *       conflicting_version}). The rest of the delivery is applied; a line in quarantine is not
 *       taken for a line its order dropped.
 * </ul>
 *
 * Both histories are written with Delta's change data feed, so gold recomputes only the orders a
 * run touched.
 */
public final class SilverOrdersJob implements Job {
  static final String DELIVERED_AT = SilverEntityJob.DELIVERED_AT;
  private static final String DELETED = "_deleted";
  private static final String ORDER = "o_orderkey";
  private static final List<String> LINE = List.of("l_orderkey", "l_linenumber");

  private final BronzeSource orders;
  private final BronzeSource lines;
  private final BronzeSource deletes;

  private SilverOrdersJob(BronzeSource orders, BronzeSource lines, BronzeSource deletes) {
    this.orders = orders;
    this.lines = lines;
    this.deletes = deletes;
  }

  public static JobDefinition definition() {
    return JobDefinition.builder("commerce-silver-orders")
        .layer(Layer.SILVER)
        .domain(CommerceTables.DOMAIN)
        .inputs(
            List.of(
                CommerceTables.BRONZE_ORDERS,
                CommerceTables.BRONZE_LINEITEM,
                CommerceTables.BRONZE_DELETES))
        .outputs(
            List.of(
                CommerceTables.ORDERS,
                CommerceTables.LINEITEM,
                CommerceTables.ORDERS_QUARANTINE,
                CommerceTables.LINEITEM_QUARANTINE,
                CommerceTables.DELETES_QUARANTINE))
        .description("orders and line items as SCD2 with tombstones for refresh deletes")
        .factory(
            (config, app) ->
                new SilverOrdersJob(
                    BronzeSource.find(config, CommerceTables.DOMAIN, "orders"),
                    BronzeSource.find(config, CommerceTables.DOMAIN, "lineitem"),
                    BronzeSource.find(config, CommerceTables.DOMAIN, "order_deletes")))
        .build();
  }

  @Override
  public JobResult run(JobContext context) {
    if (context.fullRefresh()) {
      // Every output: both histories and the three quarantines.
      for (TableId table : definition().outputs()) {
        SilverTables.reset(context.spark(), context.location(table));
      }
    }
    Watermark before = Watermark.parse(context.previousWatermark());
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      Dataset<Row> bronzeOrders =
          cache(cached, bronze(context, CommerceTables.BRONZE_ORDERS, before.get("orders")));
      Dataset<Row> bronzeLines =
          cache(cached, bronze(context, CommerceTables.BRONZE_LINEITEM, before.get("lineitem")));
      Dataset<Row> bronzeDeletes =
          cache(cached, bronze(context, CommerceTables.BRONZE_DELETES, before.get("deletes")));
      if (bronzeOrders.isEmpty() && bronzeLines.isEmpty() && bronzeDeletes.isEmpty()) {
        return JobResult.builder()
            .watermarkBefore(before.orNull())
            .watermarkAfter(before.orNull())
            .detail("message", "no new bronze rows")
            .build();
      }
      Typed typedOrders =
          typed(
              context,
              bronzeOrders,
              orders,
              CommerceTables.ORDERS_QUARANTINE,
              List.of(ORDER),
              Optional.of(CommerceTables.ORDERS),
              cached);
      Typed typedLines =
          typed(
              context,
              bronzeLines,
              lines,
              CommerceTables.LINEITEM_QUARANTINE,
              LINE,
              Optional.of(CommerceTables.LINEITEM),
              cached);
      Typed typedDeletes =
          typed(
              context,
              bronzeDeletes,
              deletes,
              CommerceTables.DELETES_QUARANTINE,
              List.of(),
              Optional.empty(),
              cached);
      Watermark after =
          before
              .with("orders", BronzeTables.watermarkOf(bronzeOrders, before.get("orders")))
              .with("lineitem", BronzeTables.watermarkOf(bronzeLines, before.get("lineitem")))
              .with("deletes", BronzeTables.watermarkOf(bronzeDeletes, before.get("deletes")));
      return apply(context, typedOrders, typedLines, typedDeletes, cached)
          .rowsRead(bronzeOrders.count() + bronzeLines.count() + bronzeDeletes.count())
          .watermarkBefore(before.orNull())
          .watermarkAfter(after.orNull())
          .build();
    } finally {
      for (Dataset<Row> frame : cached) {
        frame.unpersist();
      }
    }
  }

  /**
   * Applies a typed batch: the deletes that can be, then one MERGE per history. Returns what was
   * written and quarantined, and what the deliveries did.
   */
  private static JobResult.Builder apply(
      JobContext context,
      Typed typedOrders,
      Typed typedLines,
      Typed typedDeletes,
      List<Dataset<Row>> cached) {
    SparkSession spark = context.spark();
    String ordersTarget = context.location(CommerceTables.ORDERS);
    String linesTarget = context.location(CommerceTables.LINEITEM);
    String[] origin = Acceptance.ORIGIN.toArray(new String[0]);
    Dataset<Row> newOrders = cache(cached, typedOrders.accepted.drop(origin).distinct());
    Dataset<Row> newLines = cache(cached, typedLines.accepted.drop(origin).distinct());

    Deletes deletions = applicableDeletes(context, typedDeletes.accepted, newOrders, cached);
    Dataset<Row> applied = deletions.applied;
    Optional<java.sql.Timestamp> lastApplied = lastDelivery(spark, ordersTarget);
    // Checkpointed (on the executors) so each MERGE plans from the batch, not its lineage.
    Dataset<Row> orderBatch = withDeletes(newOrders, applied, ORDER).localCheckpoint();
    ScdResult orderResult = Scd2Merge.apply(spark, orderBatch, ordersTarget, spec(ORDER));

    Dataset<Row> lineBatch = lineBatch(spark, linesTarget, newLines, applied, typedLines.arrived);
    ScdResult lineResult =
        Scd2Merge.apply(
            spark, lineBatch.localCheckpoint(), linesTarget, spec(LINE.toArray(new String[0])));

    List<String> sets = new ArrayList<>();
    List<String> late = new ArrayList<>();
    deliveryDays(newOrders, newLines, applied, lastApplied, sets, late);
    return JobResult.builder()
        .rowsWritten(orderResult.inserted() + lineResult.inserted())
        .rowsQuarantined(
            typedOrders.rejected + typedLines.rejected + typedDeletes.rejected + deletions.unknown)
        .detail("deliveries_applied", sets)
        .detail("deliveries_applied_late", late)
        .detail("order_versions_inserted", orderResult.inserted())
        .detail("order_versions_closed", orderResult.updated())
        .detail("line_versions_inserted", lineResult.inserted())
        .detail("line_versions_closed", lineResult.updated())
        .detail("deletes_received", typedDeletes.accepted.count())
        .detail("deletes_of_unknown_orders", deletions.unknown)
        .detail(
            "quarantine_rows_new",
            typedOrders.quarantinedNew
                + typedLines.quarantinedNew
                + typedDeletes.quarantinedNew
                + deletions.unknownNew);
  }

  /** The deletes of a batch that can be applied, and how many could not (quarantined). */
  private static final class Deletes {
    final Dataset<Row> applied;
    final long unknown;
    final long unknownNew;

    Deletes(Dataset<Row> applied, long unknown, long unknownNew) {
      this.applied = applied;
      this.unknown = unknown;
      this.unknownNew = unknownNew;
    }
  }

  /**
   * A delete is applied when silver (or this batch) had the order by the delete's delivery; a
   * delete of an order never delivered, or first delivered after it, is quarantined ({@code
   * delete_of_unknown_order}) with the dates that show why.
   */
  private static Deletes applicableDeletes(
      JobContext context,
      Dataset<Row> deleteRows,
      Dataset<Row> newOrders,
      List<Dataset<Row>> cached) {
    SparkSession spark = context.spark();
    Dataset<Row> firstSeen =
        firstSeen(
            spark,
            context.location(CommerceTables.ORDERS),
            List.of(ORDER),
            newOrders,
            deleteRows.select(ORDER));
    Dataset<Row> checked =
        deleteRows
            .join(firstSeen, ScalaSeqs.of(List.of(ORDER)), "left")
            .withColumn(
                "_known", col("_first_at").isNotNull().and(col("_first_at").leq(col(DELIVERED_AT))))
            .persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(checked);
    Dataset<Row> unknown = checked.where(col("_known").equalTo(false));
    long unknownCount = unknown.count();
    long unknownNew =
        Quarantine.append(
            spark,
            Quarantine.rows(
                unknown,
                Acceptance.ORIGIN,
                lit("delete_of_unknown_order"),
                when(
                        col("_first_at").isNull(),
                        concat(
                            lit("order "),
                            col(ORDER).cast("string"),
                            lit(" was never delivered; delete of "),
                            date_format(col(DELIVERED_AT), "yyyy-MM-dd")))
                    .otherwise(
                        concat(
                            lit("order "),
                            col(ORDER).cast("string"),
                            lit(" was first delivered on "),
                            date_format(col("_first_at"), "yyyy-MM-dd"),
                            lit(", after its delete of "),
                            date_format(col(DELIVERED_AT), "yyyy-MM-dd"))),
                List.of(ORDER, DELIVERED_AT),
                context.runId()),
            context.location(CommerceTables.DELETES_QUARANTINE),
            Acceptance.ORIGIN);
    Dataset<Row> applied =
        cache(cached, checked.where(col("_known")).select(ORDER, DELIVERED_AT).distinct());
    return new Deletes(applied, unknownCount, unknownNew);
  }

  /**
   * The lines batch: the new lines, those of deleted orders marked deleted, and, when an order is
   * re-delivered or deleted, the lines it no longer has closed as deleted.
   */
  private static Dataset<Row> lineBatch(
      SparkSession spark,
      String linesTarget,
      Dataset<Row> newLines,
      Dataset<Row> applied,
      Dataset<Row> arrivedLines) {
    // A re-delivery or a delete of an order closes the lines it no longer has.
    Dataset<Row> orderEvents =
        newLines
            .select("l_orderkey", DELIVERED_AT)
            .union(applied.select(col(ORDER).as("l_orderkey"), col(DELIVERED_AT)))
            .distinct();
    Dataset<Row> knownLines =
        firstSeen(spark, linesTarget, LINE, newLines, orderEvents.select("l_orderkey"));
    Dataset<Row> dropped =
        orderEvents
            .join(knownLines, "l_orderkey")
            .where(col("_first_at").lt(col(DELIVERED_AT)))
            .select("l_orderkey", "l_linenumber", DELIVERED_AT)
            // A line that arrived is not dropped, even when it went to quarantine: its last
            // good version stays current rather than being closed as deleted.
            .join(
                arrivedLines,
                ScalaSeqs.of(List.of("l_orderkey", "l_linenumber", DELIVERED_AT)),
                "left_anti")
            .withColumn(DELETED, lit(true));
    Dataset<Row> lineBatch =
        newLines
            .join(
                applied.select(
                    col(ORDER).as("l_orderkey"), col(DELIVERED_AT), lit(true).as(DELETED)),
                ScalaSeqs.of(List.of("l_orderkey", DELIVERED_AT)),
                "left")
            .unionByName(dropped, true);
    return lineBatch;
  }

  /** The delivery days the batch applied, and those at or before the last one applied before. */
  private static void deliveryDays(
      Dataset<Row> newOrders,
      Dataset<Row> newLines,
      Dataset<Row> applied,
      Optional<java.sql.Timestamp> lastApplied,
      List<String> sets,
      List<String> late) {
    for (Row row :
        DriverRows.atMost(
            newOrders
                .select(DELIVERED_AT)
                .union(newLines.select(DELIVERED_AT))
                .union(applied.select(DELIVERED_AT))
                .distinct()
                .orderBy(DELIVERED_AT),
            100_000,
            "refresh-set delivery times of the orders batch")) {
      String day = row.getTimestamp(0).toInstant().toString().substring(0, 10);
      sets.add(day);
      if (lastApplied.isPresent() && !row.getTimestamp(0).after(lastApplied.get())) {
        late.add(day);
      }
    }
  }

  private static Dataset<Row> cache(List<Dataset<Row>> cached, Dataset<Row> frame) {
    Dataset<Row> persisted = frame.persist(StorageLevel.MEMORY_AND_DISK());
    cached.add(persisted);
    return persisted;
  }

  private static Dataset<Row> bronze(JobContext context, TableId table, Optional<String> mark) {
    return BronzeTables.recordsAfter(context.spark(), context.location(table), mark);
  }

  /** What typing one bronze batch gave. */
  private static final class Typed {
    Dataset<Row> accepted;

    /**
     * The keys and delivery times of every row that arrived with a typable key, accepted or not.
     */
    Dataset<Row> arrived;

    long rejected;
    long quarantinedNew;
  }

  /**
   * Types a batch by its contract, quarantines what breaks it; accepted rows keep their origin and
   * become effective at their delivery date. A row outside a {@code dt=} folder has no such date,
   * and rows that would rewrite a version of {@code history} (two different rows of a key in one
   * delivery, or another row for a key and delivery already applied) cannot be told apart: both are
   * quarantined with their rule, instead of stopping the job.
   *
   * @param keys the version key in {@code history}, empty for the deletes (which have no history)
   */
  private static Typed typed(
      JobContext context,
      Dataset<Row> bronze,
      BronzeSource source,
      TableId quarantine,
      List<String> keys,
      Optional<TableId> history,
      List<Dataset<Row>> cached) {
    Dataset<Row> typed =
        TypedRows.withDeliveryDate(
                ContractTyping.type(bronze, source.fields()),
                "a refresh set takes effect at its folder's date")
            .withColumn(TypedRows.TYPED + DELIVERED_AT, to_timestamp(col("_delivery_date")));
    if (history.isPresent()) {
      typed =
          TypedRows.withVersionConflicts(
              context.spark(), typed, keys, DELIVERED_AT, context.location(history.get()));
    }
    typed = cache(cached, typed);
    Dataset<Row> rejected = typed.where(col(Quarantine.RULE).isNotNull());
    Typed result = new Typed();
    result.quarantinedNew =
        Acceptance.quarantine(
            context.spark(), rejected, context.location(quarantine), context.runId());
    result.rejected = rejected.count();
    result.accepted =
        TypedRows.typedColumns(
            typed.where(col(Quarantine.RULE).isNull()),
            "_source_file",
            "_line_number",
            "_record_sha256");
    Column keyTyped = col(TypedRows.TYPED + DELIVERED_AT).isNotNull();
    List<Column> arrived = new ArrayList<>();
    for (String key : keys) {
      keyTyped = keyTyped.and(col(TypedRows.TYPED + key).isNotNull());
      arrived.add(col(TypedRows.TYPED + key).as(key));
    }
    arrived.add(col(TypedRows.TYPED + DELIVERED_AT).as(DELIVERED_AT));
    result.arrived = typed.where(keyTyped).select(arrived.toArray(new Column[0])).distinct();
    return result;
  }

  /**
   * When each key (of the given orders) was first delivered: in the stored history or in this
   * batch, whichever is earlier; as {@code _first_at}.
   */
  private static Dataset<Row> firstSeen(
      SparkSession spark,
      String target,
      List<String> keys,
      Dataset<Row> batch,
      Dataset<Row> ofOrders) {
    String orderColumn = keys.get(0);
    Dataset<Row> wanted = ofOrders.toDF(orderColumn).distinct();
    Column[] keyColumns = keys.stream().map(k -> col(k)).toArray(Column[]::new);
    Dataset<Row> fromBatch =
        batch.join(wanted, orderColumn).groupBy(keyColumns).agg(min(DELIVERED_AT).as("_first_at"));
    if (!DeltaTable.isDeltaTable(spark, target)) {
      return fromBatch;
    }
    Dataset<Row> stored =
        spark
            .read()
            .format("delta")
            .load(target)
            .join(wanted, orderColumn)
            .groupBy(keyColumns)
            .agg(min("valid_from").as("_first_at"));
    return stored.union(fromBatch).groupBy(keyColumns).agg(min("_first_at").as("_first_at"));
  }

  /**
   * The batch with its deletes: a delete at the same delivery as a re-delivery of the order marks
   * that row; any other delete is a key-only row.
   */
  private static Dataset<Row> withDeletes(Dataset<Row> batch, Dataset<Row> deletes, String key) {
    List<String> on = List.of(key, DELIVERED_AT);
    Dataset<Row> marked =
        batch.join(deletes.withColumn(DELETED, lit(true)), ScalaSeqs.of(on), "left");
    Dataset<Row> keyOnly =
        deletes.join(batch, ScalaSeqs.of(on), "left_anti").withColumn(DELETED, lit(true));
    return marked.unionByName(keyOnly, true);
  }

  private static Optional<java.sql.Timestamp> lastDelivery(SparkSession spark, String target) {
    if (!DeltaTable.isDeltaTable(spark, target)) {
      return Optional.empty();
    }
    Row row = spark.read().format("delta").load(target).agg(max("valid_from")).head();
    return row.isNullAt(0) ? Optional.empty() : Optional.of(row.getTimestamp(0));
  }

  private static ScdSpec spec(String... keys) {
    return ScdSpec.builder(keys)
        .check()
        .updatedAt(DELIVERED_AT)
        .deleteMarker(DELETED)
        .deletionVectors(false)
        .build();
  }
}
