package com.acme.warehouse.common.spark;

import java.util.List;

/**
 * Java lists where Spark's API asks for a Scala {@code Seq} (join columns, ...). Typed as an
 * immutable sequence, which is what Spark takes on Scala 2.13 and a subtype of what it takes on
 * 2.12, so the same code compiles for both builds of the jar.
 */
public final class ScalaSeqs {
  private ScalaSeqs() {}

  public static scala.collection.immutable.Seq<String> of(List<String> names) {
    return scala.collection.JavaConverters.asScalaBuffer(names).toList();
  }
}
