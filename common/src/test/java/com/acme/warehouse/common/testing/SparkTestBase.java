package com.acme.warehouse.common.testing;

import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of every test that needs Spark: the shared session, a temporary warehouse per test class,
 * DataFrames from a DDL schema plus JSON rows, and row-set comparison.
 */
public abstract class SparkTestBase {
  protected static SparkSession spark;

  /** A fresh directory per test class: put warehouses and raw files under it. */
  @TempDir protected static Path tempDir;

  @BeforeAll
  static void startSpark() {
    spark = SharedSpark.session();
  }

  /** A DataFrame with this DDL schema and these rows, each a JSON object. */
  protected static Dataset<Row> df(String ddl, String... jsonRows) {
    Dataset<String> json = spark.createDataset(Arrays.asList(jsonRows), Encoders.STRING());
    return spark.read().schema(StructType.fromDDL(ddl)).option("mode", "FAILFAST").json(json);
  }

  protected static void assertSameRows(Dataset<Row> expected, Dataset<Row> actual) {
    DataFrameAssert.assertSameRows(expected, actual);
  }

  /** A location under this class's temporary directory. */
  protected static String path(String name) {
    return tempDir.resolve(name).toString();
  }
}
