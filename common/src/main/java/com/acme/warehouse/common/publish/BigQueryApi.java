package com.acme.warehouse.common.publish;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpBackOffIOExceptionHandler;
import com.google.api.client.http.HttpBackOffUnsuccessfulResponseHandler;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.util.ExponentialBackOff;
import com.google.api.services.bigquery.Bigquery;
import com.google.api.services.bigquery.BigqueryScopes;
import com.google.api.services.bigquery.model.ErrorProto;
import com.google.api.services.bigquery.model.GetQueryResultsResponse;
import com.google.api.services.bigquery.model.Job;
import com.google.api.services.bigquery.model.JobConfiguration;
import com.google.api.services.bigquery.model.JobConfigurationQuery;
import com.google.api.services.bigquery.model.JobReference;
import com.google.api.services.bigquery.model.QueryParameter;
import com.google.api.services.bigquery.model.Table;
import com.google.api.services.bigquery.model.TableCell;
import com.google.api.services.bigquery.model.TableReference;
import com.google.api.services.bigquery.model.TableRow;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The BigQuery REST calls a publish makes besides the connector's load: table metadata (existence,
 * schema, partitioning — from {@code tables.get}, never from an error's text), table creation and
 * schema patches, and query jobs (the partition replace and the parity check). Google's generated
 * v2 client; Application Default Credentials; transient failures (429, 5xx, I/O) are retried with
 * exponential back-off, and every job carries a client-made id so a retried insert cannot run
 * twice.
 */
final class BigQueryApi {
  private static final long POLL_MAX_MILLIS = 2_000;

  private final Bigquery client;
  private final String project;

  private BigQueryApi(Bigquery client, String project) {
    this.client = client;
    this.project = project;
  }

  /** A client for the settings' endpoint (Google's unless an emulator is configured). */
  static BigQueryApi connect(BigQuerySettings settings) {
    HttpRequestInitializer credentials = request -> {};
    if (settings.sendCredentials()) {
      try {
        credentials =
            new HttpCredentialsAdapter(
                GoogleCredentials.getApplicationDefault().createScoped(BigqueryScopes.BIGQUERY));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "no Application Default Credentials for BigQuery (the service account on Dataproc,"
                + " `gcloud auth application-default login` on a workstation)",
            e);
      }
    }
    HttpRequestInitializer authenticated = credentials;
    HttpRequestInitializer initializer =
        request -> {
          authenticated.initialize(request);
          request.setConnectTimeout(60_000).setReadTimeout(120_000);
          request.setUnsuccessfulResponseHandler(
              new HttpBackOffUnsuccessfulResponseHandler(new ExponentialBackOff())
                  .setBackOffRequired(
                      response ->
                          response.getStatusCode() == 429 || response.getStatusCode() >= 500));
          request.setIOExceptionHandler(
              new HttpBackOffIOExceptionHandler(new ExponentialBackOff()));
        };
    String root =
        settings.endpoint().isEmpty()
            ? Bigquery.DEFAULT_ROOT_URL
            : settings.endpoint().replaceAll("/+$", "") + "/";
    Bigquery client =
        new Bigquery.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), initializer)
            .setRootUrl(root)
            .setApplicationName("acme-warehouse")
            .build();
    return new BigQueryApi(client, settings.project());
  }

  /** The table, or empty when BigQuery answers 404. */
  Optional<Table> table(TableReference ref) {
    try {
      return Optional.of(
          client.tables().get(ref.getProjectId(), ref.getDatasetId(), ref.getTableId()).execute());
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() == 404) {
        return Optional.empty();
      }
      throw failed("read the metadata of " + name(ref), e);
    } catch (IOException e) {
      throw failed("read the metadata of " + name(ref), e);
    }
  }

  Table create(Table table) {
    TableReference ref = table.getTableReference();
    try {
      return client.tables().insert(ref.getProjectId(), ref.getDatasetId(), table).execute();
    } catch (IOException e) {
      throw failed("create " + name(ref), e);
    }
  }

  /** Changes the fields {@code patch} sets (schema, clustering, ...), leaves the others alone. */
  Table patch(TableReference ref, Table patch) {
    try {
      return client
          .tables()
          .patch(ref.getProjectId(), ref.getDatasetId(), ref.getTableId(), patch)
          .execute();
    } catch (IOException e) {
      throw failed("update " + name(ref), e);
    }
  }

  void deleteIfExists(TableReference ref) {
    try {
      client.tables().delete(ref.getProjectId(), ref.getDatasetId(), ref.getTableId()).execute();
    } catch (GoogleJsonResponseException e) {
      if (e.getStatusCode() != 404) {
        throw failed("delete " + name(ref), e);
      }
    } catch (IOException e) {
      throw failed("delete " + name(ref), e);
    }
  }

  /**
   * Runs one standard-SQL statement as a query job with named parameters, waits for it, and returns
   * its result rows (each a list of cell texts, NULL as null). Callers keep results small: every
   * row is held in memory.
   */
  List<List<String>> query(String sql, List<QueryParameter> parameters) {
    JobConfigurationQuery query =
        new JobConfigurationQuery()
            .setQuery(sql)
            .setUseLegacySql(false)
            .setParameterMode("NAMED")
            .setQueryParameters(parameters);
    Job job =
        new Job()
            .setJobReference(
                new JobReference()
                    .setProjectId(project)
                    .setJobId("warehouse_" + UUID.randomUUID().toString().replace('-', '_')))
            .setConfiguration(new JobConfiguration().setQuery(query));
    try {
      Job done = waitFor(insert(job));
      ErrorProto error = done.getStatus().getErrorResult();
      if (error != null) {
        throw new IllegalStateException(
            "BigQuery job "
                + done.getJobReference().getJobId()
                + " failed: "
                + error.getMessage()
                + " ("
                + error.getReason()
                + ")");
      }
      return rows(done.getJobReference());
    } catch (IOException e) {
      throw failed("run a query job", e);
    }
  }

  private Job insert(Job job) throws IOException {
    try {
      return client.jobs().insert(project, job).execute();
    } catch (GoogleJsonResponseException e) {
      // A retried insert whose first attempt landed: the job exists, follow it.
      if (e.getStatusCode() == 409) {
        return client.jobs().get(project, job.getJobReference().getJobId()).execute();
      }
      throw e;
    }
  }

  private Job waitFor(Job job) throws IOException {
    long pause = 100;
    JobReference ref = job.getJobReference();
    while (!"DONE".equals(job.getStatus().getState())) {
      sleep(pause);
      pause = Math.min(POLL_MAX_MILLIS, pause * 2);
      job = client.jobs().get(project, ref.getJobId()).setLocation(ref.getLocation()).execute();
    }
    return job;
  }

  private List<List<String>> rows(JobReference ref) throws IOException {
    List<List<String>> rows = new ArrayList<>();
    String pageToken = null;
    do {
      GetQueryResultsResponse page =
          client
              .jobs()
              .getQueryResults(project, ref.getJobId())
              .setLocation(ref.getLocation())
              .setPageToken(pageToken)
              .execute();
      if (page.getRows() != null) {
        for (TableRow row : page.getRows()) {
          List<String> cells = new ArrayList<>();
          for (TableCell cell : row.getF()) {
            Object value = cell.getV();
            cells.add(
                value == null || com.google.api.client.util.Data.isNull(value)
                    ? null
                    : value.toString());
          }
          rows.add(cells);
        }
      }
      pageToken = page.getPageToken();
    } while (pageToken != null);
    return rows;
  }

  static String name(TableReference ref) {
    return ref.getProjectId() + "." + ref.getDatasetId() + "." + ref.getTableId();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a BigQuery job", e);
    }
  }

  private static IllegalStateException failed(String what, IOException e) {
    String detail =
        e instanceof GoogleJsonResponseException
                && ((GoogleJsonResponseException) e).getDetails() != null
            ? ((GoogleJsonResponseException) e).getDetails().getMessage()
            : e.getMessage();
    return new IllegalStateException("BigQuery: could not " + what + ": " + detail, e);
  }
}
