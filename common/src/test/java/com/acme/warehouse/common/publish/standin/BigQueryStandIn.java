package com.acme.warehouse.common.publish.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;

/**
 * A local stand-in for the BigQuery REST API v2, started by tests on 127.0.0.1 and pointed at by
 * the real spark-bigquery connector ({@code bigQueryHttpEndpoint}) and the suite's own BigQuery
 * client. It serves what a publish uses — datasets.get; tables.get/insert/patch/update/delete;
 * jobs.insert/get/getQueryResults for load and query jobs — keeps tables (schema, time
 * partitioning, clustering, rows loaded from the staged Parquet files) and enforces BigQuery's
 * documented rules on every call, answering with BigQuery's error shapes (see {@link StandInJobs}).
 * A request it does not know is answered 501 and recorded for {@link #takeUnsupported()}, which a
 * test can assert empty.
 */
public final class BigQueryStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DATASET =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)");
  private static final Pattern TABLES =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables");
  private static final Pattern TABLE =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)");
  private static final Pattern JOBS = Pattern.compile("/bigquery/v2/projects/([^/]+)/jobs");
  private static final Pattern JOB = Pattern.compile("/bigquery/v2/projects/([^/]+)/jobs/([^/]+)");
  private static final Pattern QUERY_RESULTS =
      Pattern.compile("/bigquery/v2/projects/([^/]+)/queries/([^/]+)");
  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z0-9_$]{1,1024}");

  private final HttpServer server;
  private final ExecutorService executor;
  final Set<String> datasets = new java.util.TreeSet<>();
  final Map<String, StandInTable> tables = new TreeMap<>();
  private final StandInJobs jobs;
  private final List<String> requests = new ArrayList<>();
  private final List<String> unsupported = new ArrayList<>();

  private BigQueryStandIn(SparkSession spark) throws IOException {
    this.jobs = new StandInJobs(this, spark);
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.executor = Executors.newFixedThreadPool(4);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Starts a stand-in on a free loopback port; Parquet staged by loads is read with {@code spark}.
   */
  public static BigQueryStandIn start(SparkSession spark) {
    try {
      return new BigQueryStandIn(spark);
    } catch (IOException e) {
      throw new IllegalStateException("could not start the BigQuery stand-in", e);
    }
  }

  /** {@code http://127.0.0.1:<port>}: the connector's {@code bigQueryHttpEndpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * The command-line settings that publish gold to this stand-in ({@code gold.sink = bigquery},
   * project, endpoint, no credentials, staging in a local folder), creating the default dataset.
   */
  public List<String> cliSettings(String project, String stagingFolder) {
    createDataset(project, "warehouse");
    return List.of(
        "--set", "gold.sink=bigquery",
        "--set", "bigquery.project=" + project,
        "--set", "bigquery.endpoint=" + endpoint(),
        "--set", "bigquery.credentials=none",
        "--set", "bigquery.temporary-gcs-bucket=file://" + stagingFolder);
  }

  public synchronized void createDataset(String project, String dataset) {
    datasets.add(project + "." + dataset);
  }

  /** A table as BigQuery would hold it now ({@code project.dataset.table}). */
  public synchronized Optional<StandInTable> table(String id) {
    StandInTable table = tables.get(id);
    return table == null || table.expired() ? Optional.empty() : Optional.of(table);
  }

  /** Every table id the stand-in holds (expired ones included until read). */
  public synchronized List<String> tableIds() {
    return new ArrayList<>(tables.keySet());
  }

  /** Every job run so far, oldest first, as BigQuery would return it from jobs.get. */
  public synchronized List<JsonNode> jobs() {
    return jobs.all();
  }

  /** Load jobs run so far whose destination is {@code id} (any decorator). */
  public synchronized long loadsInto(String id) {
    return jobs.all().stream()
        .filter(job -> job.at("/configuration/load").isObject())
        .filter(
            job -> {
              JsonNode ref = job.at("/configuration/load/destinationTable");
              String dest =
                  ref.path("projectId").asText()
                      + "."
                      + ref.path("datasetId").asText()
                      + "."
                      + ref.path("tableId").asText().split("\\$")[0];
              return dest.equals(id);
            })
        .count();
  }

  /** Every request served, as {@code METHOD path}. */
  public synchronized List<String> requests() {
    return new ArrayList<>(requests);
  }

  /** Requests the stand-in did not know (answered 501) since the last call. */
  public synchronized List<String> takeUnsupported() {
    List<String> taken = new ArrayList<>(unsupported);
    unsupported.clear();
    return taken;
  }

  /**
   * Changes a table's rows right after the next job that writes it succeeds: a fault BigQuery could
   * have (a load that lost rows), for the parity check to find.
   */
  public synchronized void afterNextWrite(String id, Consumer<List<Map<String, Object>>> change) {
    jobs.afterNextWrite(id, change);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // --- HTTP ---

  private void handle(HttpExchange exchange) throws IOException {
    try {
      serve(exchange);
    } catch (IOException | RuntimeException | Error e) {
      // The client sees a dropped connection; the test log says why.
      System.err.println("BigQuery stand-in could not answer " + exchange.getRequestURI());
      e.printStackTrace();
      throw e;
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
    if (override != null && "POST".equals(method)) {
      method = override.toUpperCase(Locale.ROOT); // how the JDK's HTTP client sends a PATCH
    }
    URI uri = exchange.getRequestURI();
    String path = uri.getPath();
    byte[] body = exchange.getRequestBody().readAllBytes();
    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
      body =
          new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
    }
    Response response;
    synchronized (this) {
      requests.add(method + " " + path);
    }
    try {
      response = route(method, path, query(uri), body);
    } catch (BigQueryError e) {
      response = e.response();
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      response =
          BigQueryError.of(400, "parseError", "Parse error: " + e.getOriginalMessage()).response();
    } catch (RuntimeException e) {
      response = BigQueryError.of(500, "internalError", "stand-in: " + e).response();
    }
    byte[] bytes = response.body == null ? new byte[0] : JSON.writeValueAsBytes(response.body);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(response.status, response.status == 204 ? -1 : bytes.length);
    if (response.status != 204) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
    exchange.close();
  }

  private Response route(String method, String path, Map<String, String> query, byte[] body)
      throws IOException {
    Matcher m;
    if ((m = TABLE.matcher(path)).matches()) {
      String id = m.group(1) + "." + m.group(2) + "." + m.group(3);
      switch (method) {
        case "GET":
          return new Response(200, tableResource(existing(id)));
        case "PATCH":
        case "PUT":
          return new Response(200, tableResource(patch(id, JSON.readTree(body), method)));
        case "DELETE":
          delete(id);
          return new Response(204, null);
        default:
          break;
      }
    } else if ((m = TABLES.matcher(path)).matches() && "POST".equals(method)) {
      return new Response(200, tableResource(insert(m.group(1), m.group(2), JSON.readTree(body))));
    } else if ((m = DATASET.matcher(path)).matches() && "GET".equals(method)) {
      return new Response(200, dataset(m.group(1), m.group(2)));
    } else if ((m = JOBS.matcher(path)).matches() && "POST".equals(method)) {
      return new Response(200, jobs.insert(m.group(1), (ObjectNode) JSON.readTree(body)));
    } else if ((m = JOB.matcher(path)).matches() && "GET".equals(method)) {
      return new Response(200, jobs.get(m.group(1), m.group(2)));
    } else if ((m = QUERY_RESULTS.matcher(path)).matches() && "GET".equals(method)) {
      return new Response(200, jobs.results(m.group(1), m.group(2), query.get("pageToken")));
    }
    synchronized (this) {
      unsupported.add(method + " " + path);
    }
    throw BigQueryError.of(501, "notImplemented", "stand-in: not served: " + method + " " + path);
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> params = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        String[] kv = pair.split("=", 2);
        params.put(
            kv[0], kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return params;
  }

  // --- datasets and tables ---

  private synchronized ObjectNode dataset(String project, String dataset) {
    if (!datasets.contains(project + "." + dataset)) {
      throw BigQueryError.notFound("Dataset " + project + ":" + dataset);
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("kind", "bigquery#dataset");
    node.put("id", project + ":" + dataset);
    node.putObject("datasetReference").put("projectId", project).put("datasetId", dataset);
    node.put("location", "US");
    return node;
  }

  synchronized StandInTable existing(String id) {
    StandInTable table = tables.get(id);
    if (table == null || table.expired()) {
      tables.remove(id);
      String[] parts = id.split("\\.");
      throw BigQueryError.notFound("Table " + parts[0] + ":" + parts[1] + "." + parts[2]);
    }
    return table;
  }

  private synchronized StandInTable insert(String project, String dataset, JsonNode resource) {
    if (!datasets.contains(project + "." + dataset)) {
      throw BigQueryError.notFound("Dataset " + project + ":" + dataset);
    }
    String name = resource.at("/tableReference/tableId").asText();
    if (!TABLE_NAME.matcher(name).matches() || name.contains("$")) {
      throw BigQueryError.invalid("Invalid table ID \"" + name + "\".");
    }
    String id = project + "." + dataset + "." + name;
    StandInTable old = tables.get(id);
    if (old != null && !old.expired()) {
      throw BigQueryError.of(
          409, "duplicate", "Already Exists: Table " + project + ":" + dataset + "." + name);
    }
    StandInTable table = new StandInTable(project, dataset, name);
    table.schema.addAll(StandInJobs.fields(resource.at("/schema/fields"), id));
    if (table.schema.isEmpty() && resource.has("timePartitioning")) {
      throw BigQueryError.invalid("Field based partitioning requires a schema.");
    }
    JsonNode partitioning = resource.path("timePartitioning");
    if (partitioning.isObject()) {
      StandInJobs.checkPartitioning(table.schema, partitioning);
      table.partitionType = partitioning.path("type").asText("DAY");
      table.partitionField = partitioning.path("field").asText(null);
      if (table.partitionField == null) {
        throw BigQueryError.invalid("stand-in: ingestion-time partitioning is not served");
      }
    }
    if (resource.path("rangePartitioning").isObject()) {
      throw BigQueryError.invalid("stand-in: range partitioning is not served");
    }
    table.clustering = StandInJobs.clustering(table.schema, resource.path("clustering"));
    if (resource.hasNonNull("expirationTime")) {
      table.expirationTime = resource.get("expirationTime").asLong();
    }
    tables.put(id, table);
    return table;
  }

  /**
   * tables.patch / tables.update: a schema may gain NULLABLE or REPEATED columns, never lose one,
   * never change a column's type or make it REQUIRED; partitioning cannot change; clustering can.
   */
  private synchronized StandInTable patch(String id, JsonNode resource, String method) {
    StandInTable table = existing(id);
    String friendly = table.project + ":" + table.dataset + "." + table.name;
    if (resource.has("schema")) {
      List<StandInTable.Field> wanted = StandInJobs.fields(resource.at("/schema/fields"), id);
      for (StandInTable.Field field : table.schema) {
        StandInTable.Field now =
            wanted.stream()
                .filter(w -> w.name.equalsIgnoreCase(field.name))
                .findFirst()
                .orElse(null);
        if (now == null) {
          throw BigQueryError.schemaMismatch(
              friendly, "Field " + field.name + " is missing in new schema");
        }
        if (!now.type.equals(field.type)) {
          throw BigQueryError.schemaMismatch(
              friendly,
              "Field "
                  + field.name
                  + " has changed type from "
                  + StandInTable.legacy(field.type)
                  + " to "
                  + StandInTable.legacy(now.type));
        }
        if (!now.mode.equals(field.mode) && !"NULLABLE".equals(now.mode)) {
          throw BigQueryError.schemaMismatch(
              friendly,
              "Field " + field.name + " has changed mode from " + field.mode + " to " + now.mode);
        }
      }
      for (StandInTable.Field field : wanted) {
        if (table.field(field.name) == null && "REQUIRED".equals(field.mode)) {
          throw BigQueryError.schemaMismatch(
              friendly,
              "Cannot add required fields to an existing schema. (field: " + field.name + ")");
        }
      }
      table.schema.clear();
      table.schema.addAll(wanted);
    } else if ("PUT".equals(method)) {
      throw BigQueryError.invalid("stand-in: tables.update without a schema is not served");
    }
    JsonNode partitioning = resource.path("timePartitioning");
    if (partitioning.isObject()
        && !table.sameLayout(
            partitioning.path("type").asText("DAY"), partitioning.path("field").asText(null))) {
      throw BigQueryError.invalid("Cannot change partitioning spec for a partitioned table.");
    }
    if (resource.has("clustering")) {
      table.clustering = StandInJobs.clustering(table.schema, resource.path("clustering"));
    }
    table.modifiedAt = System.currentTimeMillis();
    return table;
  }

  private synchronized void delete(String id) {
    existing(id);
    tables.remove(id);
  }

  synchronized ObjectNode tableResource(StandInTable table) {
    ObjectNode node = JSON.createObjectNode();
    node.put("kind", "bigquery#table");
    node.put("id", table.project + ":" + table.dataset + "." + table.name);
    node.putObject("tableReference")
        .put("projectId", table.project)
        .put("datasetId", table.dataset)
        .put("tableId", table.name);
    ArrayNode fields = node.putObject("schema").putArray("fields");
    for (StandInTable.Field field : table.schema) {
      fields
          .addObject()
          .put("name", field.name)
          .put("type", StandInTable.legacy(field.type))
          .put("mode", field.mode);
    }
    if (table.partitionType != null) {
      node.putObject("timePartitioning")
          .put("type", table.partitionType)
          .put("field", table.partitionField);
    }
    if (!table.clustering.isEmpty()) {
      ArrayNode clustering = node.putObject("clustering").putArray("fields");
      table.clustering.forEach(clustering::add);
    }
    if (table.expirationTime != null) {
      node.put("expirationTime", Long.toString(table.expirationTime));
    }
    node.put("numRows", Integer.toString(table.rows.size()));
    node.put("numBytes", "0");
    node.put("creationTime", Long.toString(table.createdAt));
    node.put("lastModifiedTime", Long.toString(table.modifiedAt));
    node.put("type", "TABLE");
    node.put("location", "US");
    return node;
  }

  static ObjectMapper json() {
    return JSON;
  }

  /** An HTTP answer: status and JSON body. */
  static final class Response {
    final int status;
    final JsonNode body;

    Response(int status, JsonNode body) {
      this.status = status;
      this.body = body;
    }
  }

  /** A BigQuery error answer: {@code {"error": {"code", "message", "errors": [...], "status"}}}. */
  static final class BigQueryError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;
    final String reason;

    private BigQueryError(int code, String reason, String message) {
      super(message);
      this.code = code;
      this.reason = reason;
    }

    static BigQueryError of(int code, String reason, String message) {
      return new BigQueryError(code, reason, message);
    }

    static BigQueryError notFound(String what) {
      return of(404, "notFound", "Not found: " + what);
    }

    static BigQueryError invalid(String message) {
      return of(400, "invalid", message);
    }

    /** BigQuery's refusal of a schema that does not fit a table ({@code p:d.t}). */
    static BigQueryError schemaMismatch(String friendlyTable, String detail) {
      return invalid("Provided Schema does not match Table " + friendlyTable + ". " + detail);
    }

    Response response() {
      ObjectNode body = JSON.createObjectNode();
      ObjectNode error = body.putObject("error");
      error.put("code", code);
      error.put("message", getMessage());
      error
          .putArray("errors")
          .addObject()
          .put("message", getMessage())
          .put("domain", "global")
          .put("reason", reason);
      error.put(
          "status",
          code == 404
              ? "NOT_FOUND"
              : code == 409 ? "ALREADY_EXISTS" : code == 400 ? "INVALID_ARGUMENT" : "INTERNAL");
      return new Response(code, body);
    }
  }
}
