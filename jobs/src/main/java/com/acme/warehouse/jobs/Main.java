package com.acme.warehouse.jobs;

import com.acme.warehouse.common.cli.Cli;
import com.acme.warehouse.common.config.ConfigLoader;
import com.acme.warehouse.common.spark.SparkSessionFactory;
import java.time.Clock;
import org.apache.spark.sql.SparkSession;

/** The one entry point: {@code spark-submit warehouse-jobs.jar <job-name> [options]}. */
public final class Main {
  public static final String PROGRAM = "warehouse";

  private Main() {}

  public static void main(String[] args) {
    int code =
        new Cli(
                PROGRAM,
                JobCatalog::registry,
                ConfigLoader.fromEnvironment(),
                SparkSessionFactory::create,
                System.out,
                System.err,
                Clock.systemUTC())
            .execute(args);
    SparkSession.getActiveSession()
        .foreach(
            session -> {
              session.stop();
              return null;
            });
    System.exit(code);
  }
}
