package com.acme.warehouse.jobs.agents.gold;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import com.acme.warehouse.common.gold.Dimensions;
import com.acme.warehouse.common.keys.SurrogateKeys;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Keys of the type-1 dimensions (conversations, users): the surrogate key of the business id, and
 * the unknown member's key when the id is missing, so a fact never holds a NULL key. The dimension
 * and its facts compute keys here, the same way.
 */
final class MemberKeys {
  private MemberKeys() {}

  static Column of(Dataset<Row> frame, String idColumn) {
    return when(col(idColumn).isNull(), lit(Dimensions.UNKNOWN_KEY))
        .otherwise(SurrogateKeys.key(frame, idColumn));
  }
}
