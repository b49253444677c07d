package com.acme.warehouse.jobs.sampledata;

import io.trino.tpch.GenerateUtils;
import io.trino.tpch.LineItem;
import io.trino.tpch.LineItemGenerator;
import io.trino.tpch.Order;
import io.trino.tpch.OrderGenerator;
import io.trino.tpch.TpchEntity;
import io.trino.tpch.TpchTable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Commerce extracts in TPC-H's dbgen formats: a base load of the eight tables (from the {@code
 * io.trino.tpch} generator, so values follow TPC-H's distributions) and refresh sets that insert
 * new orders, re-deliver existing orders with a changed status or price (new versions), and delete
 * existing orders ({@code orders.tbl.uN}, {@code lineitem.tbl.uN}, {@code delete.N}).
 *
 * <p>Only the orders a refresh set touches are held in memory; the base tables are streamed.
 */
final class CommerceSampleData {
  static final String DOMAIN = "commerce";
  private static final List<String> SMALL_TABLES =
      List.of("customer", "part", "partsupp", "supplier", "nation", "region");
  private static final int PERCENT = 100;

  private final SampleDataSettings settings;
  private final SampleDataSettings.Commerce cfg;
  private final RawOutput out;
  private final Truth truth;
  private final Rng rng;
  private final double scaleFactor;

  CommerceSampleData(SampleDataSettings settings, RawOutput out) {
    this.settings = settings;
    this.cfg = settings.commerce;
    this.out = out;
    this.truth = new Truth(DOMAIN, settings.seed, settings.scale);
    this.rng = Rng.of(settings.seed, "commerce");
    this.scaleFactor = cfg.scaleFactorPerScale * settings.scale;
    truth.put("tpch_scale_factor", scaleFactor);
    truth.put("base_date", cfg.baseDate.toString());
  }

  /** An order of the base load with its lines, kept because a refresh set uses it. */
  private static final class Captured {
    final long index;
    final Order order;
    final List<LineItem> lines;

    Captured(long index, Order order, List<LineItem> lines) {
      this.index = index;
      this.order = order;
      this.lines = lines;
    }
  }

  Truth generate() {
    String baseDir = DOMAIN + "/base/dt=" + cfg.baseDate;
    writeSmallTables(baseDir);

    long orders = GenerateUtils.calculateRowCount(OrderGenerator.SCALE_BASE, scaleFactor, 1, 1);
    int sets = cfg.refreshSets;
    int inserts = sets == 0 ? 0 : perSet(cfg.insertRate, orders);
    int updates = sets == 0 ? 0 : perSet(cfg.updateRate, orders);
    int deletes = sets == 0 ? 0 : perSet(cfg.deleteRate, orders);
    // Which base orders the refresh sets will use, chosen before the stream passes them.
    List<Long> cloneSources = new ArrayList<>();
    for (int i = 0; i < sets * inserts; i++) {
      cloneSources.add(rng.between(0L, orders - 1));
    }
    Set<Long> updateCandidates =
        distinct(Math.min(orders / 2, 4L * sets * updates), orders, Set.of());
    Set<Long> deletePool =
        distinct(Math.min(orders / 4, (long) sets * deletes), orders, updateCandidates);
    Set<Long> keep = new LinkedHashSet<>(cloneSources);
    keep.addAll(updateCandidates);

    Map<Long, Captured> captured = new TreeMap<>();
    Map<Long, Long> deleteKeys = new TreeMap<>();
    long maxKey = streamOrders(baseDir, keep, deletePool, captured, deleteKeys);

    // Re-deliveries: candidates whose order is still open ('O' or 'P') can become fulfilled.
    List<Captured> open = new ArrayList<>();
    for (Long index : updateCandidates) {
      Captured c = captured.get(index);
      if (c.order.getOrderStatus() != 'F') {
        open.add(c);
      }
    }
    RefreshSets refresh =
        new RefreshSets(captured, cloneSources, open, deleteKeys.values(), maxKey + 1);
    for (int n = 1; n <= sets; n++) {
      refresh.write(n, inserts, updates, deletes);
    }
    return truth;
  }

  private void writeSmallTables(String baseDir) {
    for (String table : SMALL_TABLES) {
      long rows = 0;
      try (RawOutput.LineWriter file = out.file(baseDir + "/" + table + ".tbl")) {
        for (TpchEntity row : TpchTable.getTable(table).createGenerator(scaleFactor, 1, 1)) {
          file.line(row.toLine());
          rows++;
        }
      }
      truth.section("files", "base").put(table, rows);
    }
  }

  /**
   * The refresh sets, written one after the other: what earlier sets used up (open orders,
   * deletable keys, the next new key, the orders re-delivered so far) is carried from set to set.
   */
  private final class RefreshSets {
    private final Map<Long, Captured> captured;
    private final List<Long> cloneSources;
    private final List<Captured> open;
    private final List<Long> deletable;
    private final List<Order> updatedSoFar = new ArrayList<>();
    private long nextKey;

    RefreshSets(
        Map<Long, Captured> captured,
        List<Long> cloneSources,
        List<Captured> open,
        Collection<Long> deletable,
        long nextKey) {
      this.captured = captured;
      this.cloneSources = cloneSources;
      this.open = open;
      this.deletable = new ArrayList<>(deletable);
      this.nextKey = nextKey;
    }

    /** What one set wrote: order and lineitem lines, price corrections, deletes. */
    private final class Written {
      long orders;
      long lines;
      long priceCorrections;
      long deleted;
      long deletedPreviouslyUpdated;
    }

    /** Writes set {@code n} (new orders, re-deliveries, deletes) and records it in the truth. */
    void write(int n, int inserts, int updates, int deletes) {
      LocalDate dt = cfg.baseDate.plusDays((long) n * cfg.refreshEveryDays);
      String dir = DOMAIN + "/refresh/dt=" + dt;
      Written written = new Written();
      List<Order> updatedNow;
      try (RawOutput.LineWriter orderFile = out.file(dir + "/orders.tbl.u" + n);
          RawOutput.LineWriter lineFile = out.file(dir + "/lineitem.tbl.u" + n)) {
        insert(n, inserts, dt, orderFile, lineFile, written);
        updatedNow = redeliver(updates, orderFile, lineFile, written);
      }
      delete(n, deletes, dir, written);
      updatedSoFar.addAll(updatedNow);

      Map<String, Object> refreshFiles = truth.section("files", "refresh");
      refreshFiles.merge("orders", written.orders, (a, b) -> (Long) a + (Long) b);
      refreshFiles.merge("lineitem", written.lines, (a, b) -> (Long) a + (Long) b);
      refreshFiles.merge("delete", written.deleted, (a, b) -> (Long) a + (Long) b);
      Map<String, Object> set = new LinkedHashMap<>();
      set.put("set", n);
      set.put("dt", dt.toString());
      set.put("inserted_orders", (long) inserts);
      set.put("updated_orders", (long) updatedNow.size());
      set.put("price_corrections", written.priceCorrections);
      set.put("deleted_orders", written.deleted);
      set.put("deleted_previously_updated", written.deletedPreviouslyUpdated);
      set.put("orders_rows", written.orders);
      set.put("lineitem_rows", written.lines);
      @SuppressWarnings("unchecked")
      List<Object> list =
          (List<Object>) truth.section("refresh").computeIfAbsent("sets", k -> new ArrayList<>());
      list.add(set);
    }

    /** New orders: copies of base orders under new keys, dated within the set's period. */
    private void insert(
        int n,
        int inserts,
        LocalDate dt,
        RawOutput.LineWriter orderFile,
        RawOutput.LineWriter lineFile,
        Written written) {
      for (int i = 0; i < inserts; i++) {
        Captured source = captured.get(cloneSources.get((n - 1) * inserts + i));
        long key = nextKey++;
        int orderDate = (int) dt.minusDays(rng.between(1, cfg.refreshEveryDays)).toEpochDay();
        int shift = orderDate - source.order.getOrderDate();
        orderFile.line(
            orderLine(source.order, key, 'O', source.order.getTotalPriceInCents(), orderDate));
        written.orders++;
        for (LineItem line : source.lines) {
          lineFile.line(lineLine(line, key, line.getDiscountPercent(), "N", "O", shift));
          written.lines++;
        }
      }
    }

    /** Open orders re-delivered fulfilled, some with one line's discount corrected. */
    private List<Order> redeliver(
        int updates,
        RawOutput.LineWriter orderFile,
        RawOutput.LineWriter lineFile,
        Written written) {
      List<Order> updatedNow = new ArrayList<>();
      for (int i = 0; i < updates && !open.isEmpty(); i++) {
        Captured c = open.remove(0);
        List<Long> discounts = new ArrayList<>();
        for (LineItem line : c.lines) {
          discounts.add(line.getDiscountPercent());
        }
        long total = c.order.getTotalPriceInCents();
        if (rng.chance(cfg.priceCorrectionShare)) {
          int which = rng.between(0, c.lines.size() - 1);
          LineItem line = c.lines.get(which);
          long before = discounts.get(which);
          long after = before >= 10 ? before - 1 : before + 1;
          discounts.set(which, after);
          total += contribution(line, after) - contribution(line, before);
          written.priceCorrections++;
        }
        orderFile.line(
            orderLine(c.order, c.order.getOrderKey(), 'F', total, c.order.getOrderDate()));
        written.orders++;
        for (int l = 0; l < c.lines.size(); l++) {
          LineItem line = c.lines.get(l);
          lineFile.line(
              lineLine(line, line.getOrderKey(), discounts.get(l), line.getReturnFlag(), "F", 0));
          written.lines++;
        }
        updatedNow.add(c.order);
      }
      return updatedNow;
    }

    /** Deletes: a share of orders re-delivered in earlier sets first, then untouched ones. */
    private void delete(int n, int deletes, String dir, Written written) {
      try (RawOutput.LineWriter deleteFile = out.file(dir + "/delete." + n)) {
        int fromUpdated =
            (int) Math.min(updatedSoFar.size(), Shares.atLeastOne(deletes, cfg.deleteUpdatedShare));
        for (int i = 0; i < fromUpdated; i++) {
          deleteFile.line(updatedSoFar.remove(0).getOrderKey() + "|");
          written.deletedPreviouslyUpdated++;
          written.deleted++;
        }
        while (written.deleted < deletes && !deletable.isEmpty()) {
          deleteFile.line(deletable.remove(0) + "|");
          written.deleted++;
        }
      }
    }
  }

  private static int perSet(double rate, long orders) {
    return rate == 0 ? 0 : (int) Math.max(1, Math.round(rate * orders));
  }

  /** {@code count} distinct indices in [0, bound) outside {@code exclude}, in drawing order. */
  private Set<Long> distinct(long count, long bound, Set<Long> exclude) {
    Set<Long> chosen = new LinkedHashSet<>();
    while (chosen.size() < count) {
      long index = rng.between(0L, bound - 1);
      if (!exclude.contains(index)) {
        chosen.add(index);
      }
    }
    return chosen;
  }

  /** Streams orders and their lines to the base files; returns the largest order key. */
  private long streamOrders(
      String baseDir,
      Set<Long> keep,
      Set<Long> deletePool,
      Map<Long, Captured> captured,
      Map<Long, Long> deleteKeys) {
    long orderRows = 0;
    long lineRows = 0;
    long maxKey = 0;
    long grossCents = 0;
    Iterator<LineItem> lines = new LineItemGenerator(scaleFactor, 1, 1).iterator();
    LineItem pending = lines.hasNext() ? lines.next() : null;
    try (RawOutput.LineWriter orderFile = out.file(baseDir + "/orders.tbl");
        RawOutput.LineWriter lineFile = out.file(baseDir + "/lineitem.tbl")) {
      long index = 0;
      for (Order order : new OrderGenerator(scaleFactor, 1, 1)) {
        orderFile.line(order.toLine());
        orderRows++;
        maxKey = Math.max(maxKey, order.getOrderKey());
        List<LineItem> orderLines = new ArrayList<>();
        while (pending != null && pending.getOrderKey() == order.getOrderKey()) {
          lineFile.line(pending.toLine());
          lineRows++;
          grossCents += pending.getExtendedPriceInCents();
          orderLines.add(pending);
          pending = lines.hasNext() ? lines.next() : null;
        }
        if (keep.contains(index)) {
          captured.put(index, new Captured(index, order, orderLines));
        }
        if (deletePool.contains(index)) {
          deleteKeys.put(index, order.getOrderKey());
        }
        index++;
      }
    }
    truth.section("files", "base").put("orders", orderRows);
    truth.section("files", "base").put("lineitem", lineRows);
    truth.section("totals").put("base_gross_cents", grossCents);
    return maxKey;
  }

  /** TPC-H's contribution of one line to its order's total price, in cents. */
  private static long contribution(LineItem line, long discountPercent) {
    return ((line.getExtendedPriceInCents() * (PERCENT - discountPercent)) / PERCENT)
        * (PERCENT + line.getTaxPercent())
        / PERCENT;
  }

  /** TPC-H dates are epoch days; refresh sets go past the generator's own date table. */
  private static String day(long epochDay) {
    return LocalDate.ofEpochDay(epochDay).toString();
  }

  private static String orderLine(Order o, long key, char status, long totalCents, int orderDate) {
    return key
        + "|"
        + o.getCustomerKey()
        + "|"
        + status
        + "|"
        + GenerateUtils.formatMoney(totalCents)
        + "|"
        + day(orderDate)
        + "|"
        + o.getOrderPriority()
        + "|"
        + o.getClerk()
        + "|"
        + o.getShipPriority()
        + "|"
        + o.getComment()
        + "|";
  }

  private static String lineLine(
      LineItem l, long key, long discountPercent, String returnFlag, String status, int shiftDays) {
    return key
        + "|"
        + l.getPartKey()
        + "|"
        + l.getSupplierKey()
        + "|"
        + l.getLineNumber()
        + "|"
        + l.getQuantity()
        + "|"
        + GenerateUtils.formatMoney(l.getExtendedPriceInCents())
        + "|"
        + GenerateUtils.formatMoney(discountPercent)
        + "|"
        + GenerateUtils.formatMoney(l.getTaxPercent())
        + "|"
        + returnFlag
        + "|"
        + status
        + "|"
        + day(l.getShipDate() + shiftDays)
        + "|"
        + day(l.getCommitDate() + shiftDays)
        + "|"
        + day(l.getReceiptDate() + shiftDays)
        + "|"
        + l.getShipInstructions()
        + "|"
        + l.getShipMode()
        + "|"
        + l.getComment()
        + "|";
  }
}
