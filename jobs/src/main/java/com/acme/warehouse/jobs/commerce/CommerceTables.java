package com.acme.warehouse.jobs.commerce;

import com.acme.warehouse.common.job.TableId;

/** Every table of the commerce domain, by layer. */
public final class CommerceTables {
  public static final String DOMAIN = "commerce";

  public static final TableId BRONZE_ORDERS = bronze("orders");
  public static final TableId BRONZE_LINEITEM = bronze("lineitem");
  public static final TableId BRONZE_DELETES = bronze("order_deletes");

  public static final TableId ORDERS = silver("orders");
  public static final TableId ORDERS_QUARANTINE = silver("orders_quarantine");
  public static final TableId LINEITEM = silver("lineitem");
  public static final TableId LINEITEM_QUARANTINE = silver("lineitem_quarantine");
  public static final TableId DELETES_QUARANTINE = silver("order_deletes_quarantine");
  public static final TableId CUSTOMER = silver("customer");
  public static final TableId SUPPLIER = silver("supplier");
  public static final TableId PART = silver("part");
  public static final TableId NATION = silver("nation");
  public static final TableId REGION = silver("region");

  public static final TableId DIM_CUSTOMER = gold("dim_customer");
  public static final TableId DIM_SUPPLIER = gold("dim_supplier");
  public static final TableId DIM_PART = gold("dim_part");
  public static final TableId DIM_DATE = gold("dim_date");
  public static final TableId FCT_ORDER_LINES = gold("fct_order_lines");
  public static final TableId GMV_MONTHLY = gold("gmv_monthly");
  public static final TableId GMV_MONTHLY_ASOF = gold("gmv_monthly_asof");

  private CommerceTables() {}

  public static TableId bronze(String name) {
    return TableId.of("bronze", DOMAIN, name);
  }

  public static TableId silver(String name) {
    return TableId.of("silver", DOMAIN, name);
  }

  private static TableId gold(String name) {
    return TableId.of("gold", DOMAIN, name);
  }
}
