package com.acme.warehouse.common.publish;

import com.acme.warehouse.common.config.ConfigReader;
import java.util.Set;

/**
 * The {@code bigquery} section: project, write method, staging bucket and, for a local emulator,
 * the endpoint. Credentials are never configured: the BigQuery client and the connector use
 * Application Default Credentials (the Dataproc service account, or {@code
 * GOOGLE_APPLICATION_CREDENTIALS} on a workstation); {@code credentials = none} sends none, which
 * only an emulator on {@code endpoint} accepts.
 */
public final class BigQuerySettings {
  public static final String INDIRECT = "indirect";
  public static final String DIRECT = "direct";
  static final String APPLICATION_DEFAULT = "application-default";
  static final String NO_CREDENTIALS = "none";

  private final String project;
  private final String writeMethod;
  private final String temporaryGcsBucket;
  private final String endpoint;
  private final boolean sendCredentials;

  public BigQuerySettings(
      String project,
      String writeMethod,
      String temporaryGcsBucket,
      String endpoint,
      boolean sendCredentials) {
    this.project = project;
    this.writeMethod = writeMethod;
    this.temporaryGcsBucket = temporaryGcsBucket;
    this.endpoint = endpoint;
    this.sendCredentials = sendCredentials;
  }

  /** Google's BigQuery with Application Default Credentials. */
  public BigQuerySettings(String project, String writeMethod, String temporaryGcsBucket) {
    this(project, writeMethod, temporaryGcsBucket, "", true);
  }

  /** Read as is; {@link #validate} checks the section when the sink is BigQuery. */
  public static BigQuerySettings from(ConfigReader config) {
    return new BigQuerySettings(
        config.string("bigquery.project"),
        config.string("bigquery.write-method"),
        config.string("bigquery.temporary-gcs-bucket"),
        config.string("bigquery.endpoint"),
        !NO_CREDENTIALS.equals(config.string("bigquery.credentials")));
  }

  /** Reports every problem of the section to the reader, by key. */
  public static void validate(ConfigReader config) {
    String project = config.optionalString("bigquery.project").orElse("");
    if (project.isEmpty()) {
      config.problem("bigquery.project", "must be set when gold.sink = bigquery (GCP_PROJECT)");
    } else if (!project.matches("[a-z0-9.:-]+")) {
      config.problem("bigquery.project", "'" + project + "' is not a Google Cloud project id");
    }
    String method = config.oneOf("bigquery.write-method", Set.of(INDIRECT, DIRECT));
    if (INDIRECT.equals(method)
        && config.optionalString("bigquery.temporary-gcs-bucket").isEmpty()) {
      config.problem(
          "bigquery.temporary-gcs-bucket",
          "must be set when bigquery.write-method = indirect (WAREHOUSE_BUCKET)");
    }
    String credentials =
        config.oneOf("bigquery.credentials", Set.of(APPLICATION_DEFAULT, NO_CREDENTIALS));
    if (NO_CREDENTIALS.equals(credentials)
        && config.optionalString("bigquery.endpoint").isEmpty()) {
      config.problem(
          "bigquery.credentials",
          "'none' is only for a local emulator: set bigquery.endpoint to its address too");
    }
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

  /** The REST endpoint, empty for Google's ({@code https://bigquery.googleapis.com}). */
  public String endpoint() {
    return endpoint;
  }

  /** False only for an emulator that takes no credentials. */
  public boolean sendCredentials() {
    return sendCredentials;
  }
}
