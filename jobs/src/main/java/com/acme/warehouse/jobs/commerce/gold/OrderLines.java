package com.acme.warehouse.jobs.commerce.gold;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;

import org.apache.spark.sql.Column;

/**
 * The money and membership rules of an order line, shared by the fact and the as-of figures so they
 * cannot drift apart. Money stays DECIMAL throughout: gross has two places, discount and net four,
 * tax six, so no sum is ever rounded before it is reported.
 */
final class OrderLines {
  private OrderLines() {}

  static Column discountAmount(Column gross, Column discountRate) {
    return gross.multiply(discountRate).cast("decimal(18,4)");
  }

  /** Gross × (1 − discount), exact. */
  static Column netAmount(Column gross, Column discountRate) {
    return gross.multiply(lit(1).minus(discountRate)).cast("decimal(18,4)");
  }

  static Column taxAmount(Column net, Column taxRate) {
    return net.multiply(taxRate).cast("decimal(22,6)");
  }

  /**
   * Whether a line version belongs to the order version it is read with: a live line does; a
   * deleted line only when it was deleted with its order (same delivery), since a line an order
   * lost in a re-delivery is no longer one of its lines.
   */
  static Column partOfTheOrder(
      Column lineDeleted, Column lineSince, Column orderDeleted, Column orderSince) {
    return not(lineDeleted).or(orderDeleted.and(lineSince.equalTo(orderSince)));
  }
}
