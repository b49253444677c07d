package com.acme.warehouse.common.publish;

import com.acme.warehouse.common.config.ConfigReader;

/**
 * The {@code bigquery} section: project, write method and staging bucket. Credentials are never
 * configured: the connector uses Application Default Credentials (the Dataproc service account, or
 * {@code GOOGLE_APPLICATION_CREDENTIALS} on a workstation).
 */
public final class BigQuerySettings {
  private final String project;
  private final String writeMethod;
  private final String temporaryGcsBucket;

  public BigQuerySettings(String project, String writeMethod, String temporaryGcsBucket) {
    this.project = project;
    this.writeMethod = writeMethod;
    this.temporaryGcsBucket = temporaryGcsBucket;
  }

  /** Read as is; {@code AppConfig} validates the section when the sink is BigQuery. */
  public static BigQuerySettings from(ConfigReader config) {
    return new BigQuerySettings(
        config.string("bigquery.project"),
        config.string("bigquery.write-method"),
        config.string("bigquery.temporary-gcs-bucket"));
  }

  public String project() {
    return project;
  }

  public String writeMethod() {
    return writeMethod;
  }

  public String temporaryGcsBucket() {
    return temporaryGcsBucket;
  }
}
