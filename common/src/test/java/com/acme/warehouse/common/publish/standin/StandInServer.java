package com.acme.warehouse.common.publish.standin;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.spark.sql.SparkSession;

/**
 * The BigQuery stand-in as a process of its own, for smoke runs of the packaged jar under {@code
 * spark-submit} (CI): {@code StandInServer <endpoint-file> <project>} starts it on a free loopback
 * port with the project's {@code warehouse} dataset, writes its endpoint to the file, and serves
 * until killed, then prints every table it holds with its row count.
 */
public final class StandInServer {
  private StandInServer() {}

  public static void main(String[] args) throws Exception {
    SparkSession spark =
        SparkSession.builder()
            .master("local[1]")
            .appName("bigquery-stand-in")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.driver.host", "127.0.0.1")
            .getOrCreate();
    BigQueryStandIn standIn = BigQueryStandIn.start(spark);
    standIn.createDataset(args[1], "warehouse");
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  for (String id : standIn.tableIds()) {
                    standIn
                        .table(id)
                        .ifPresent(t -> System.out.println(id + " " + t.rows().size() + " rows"));
                  }
                  if (!standIn.takeUnsupported().isEmpty()) {
                    System.out.println("UNSUPPORTED requests were made");
                  }
                }));
    Files.writeString(Paths.get(args[0]), standIn.endpoint(), StandardCharsets.UTF_8);
    Thread.currentThread().join();
  }
}
