package com.acme.warehouse.common.publish.standin;

import com.acme.warehouse.common.publish.standin.BigQueryStandIn.BigQueryError;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Load and query jobs of the stand-in, run when inserted (so jobs.get answers DONE at once), with
 * the rules BigQuery documents for them:
 *
 * <ul>
 *   <li>a load's time partitioning and clustering, when given for an existing table, must be the
 *       table's ("Incompatible table partitioning specification");
 *   <li>schema update options only with WRITE_APPEND, or WRITE_TRUNCATE of one partition ({@code
 *       table$20240102});
 *   <li>appending (or truncating one partition) with more columns than the table has needs
 *       ALLOW_FIELD_ADDITION; a column's type never changes but by replacing the whole table;
 *   <li>WRITE_TRUNCATE of a whole table replaces its rows and schema, keeps partitioning and
 *       clustering; of a partition decorator, replaces that partition, and every row must fall in
 *       it;
 *   <li>CREATE_NEVER on a missing table fails; a job modifies at most 4,000 partitions;
 *   <li>NUMERIC holds at most 29 integer digits and 9 decimals: a value that does not fit fails the
 *       load, it is never rounded;
 *   <li>a MERGE is applied atomically: all its deletes and inserts, or none.
 * </ul>
 */
final class StandInJobs {
  static final int MAX_PARTITIONS = 4000;
  private static final int PAGE_SIZE = 100;
  private static final ObjectMapper JSON = BigQueryStandIn.json();
  private static final Set<String> TYPES =
      Set.of(
          "INT64",
          "FLOAT64",
          "NUMERIC",
          "BIGNUMERIC",
          "BOOL",
          "STRING",
          "BYTES",
          "DATE",
          "TIMESTAMP",
          "DATETIME",
          "TIME",
          "STRUCT",
          "JSON",
          "GEOGRAPHY");

  private final BigQueryStandIn standIn;
  private final SparkSession spark;
  private final Map<String, ObjectNode> jobs = new LinkedHashMap<>();
  private final Map<String, List<List<Object>>> results = new HashMap<>();
  private final Map<String, List<String>> resultNames = new HashMap<>();
  private final Map<String, Consumer<List<Map<String, Object>>>> afterWrite = new HashMap<>();

  StandInJobs(BigQueryStandIn standIn, SparkSession spark) {
    this.standIn = standIn;
    this.spark = spark;
  }

  synchronized List<JsonNode> all() {
    return new ArrayList<>(jobs.values());
  }

  synchronized void afterNextWrite(String id, Consumer<List<Map<String, Object>>> change) {
    afterWrite.put(id, change);
  }

  ObjectNode insert(String project, ObjectNode job) {
    ObjectNode reference =
        job.has("jobReference")
            ? (ObjectNode) job.get("jobReference")
            : job.putObject("jobReference");
    String jobId = reference.path("jobId").asText(UUID.randomUUID().toString());
    reference.put("projectId", project).put("jobId", jobId).put("location", "US");
    synchronized (this) {
      if (jobs.containsKey(jobId)) {
        throw BigQueryError.of(409, "duplicate", "Already Exists: Job " + project + ":US." + jobId);
      }
      jobs.put(jobId, job);
    }
    long start = System.currentTimeMillis();
    ObjectNode statistics = job.putObject("statistics");
    statistics.put("creationTime", Long.toString(start)).put("startTime", Long.toString(start));
    ObjectNode status = job.putObject("status");
    try {
      JsonNode configuration = job.path("configuration");
      if (configuration.has("load")) {
        load(configuration.get("load"), statistics.putObject("load"));
      } else if (configuration.has("query")) {
        query(jobId, configuration.get("query"), statistics.putObject("query"));
      } else {
        throw BigQueryError.invalid("stand-in: only load and query jobs are served");
      }
    } catch (BigQueryError | StandInSql.SqlException e) {
      String reason = e instanceof BigQueryError ? ((BigQueryError) e).reason : "invalidQuery";
      ObjectNode error =
          JSON.createObjectNode().put("reason", reason).put("message", e.getMessage());
      status.set("errorResult", error);
      status.putArray("errors").add(error.deepCopy());
    }
    status.put("state", "DONE");
    statistics.put("endTime", Long.toString(System.currentTimeMillis()));
    job.put("kind", "bigquery#job");
    job.put("id", project + ":US." + jobId);
    job.put("user_email", "stand-in@example.com");
    return job;
  }

  synchronized ObjectNode get(String project, String jobId) {
    ObjectNode job = jobs.get(jobId);
    if (job == null) {
      throw BigQueryError.notFound("Job " + project + ":US." + jobId);
    }
    return job;
  }

  synchronized ObjectNode results(String project, String jobId, String pageToken) {
    ObjectNode job = get(project, jobId);
    List<List<Object>> rows = results.getOrDefault(jobId, List.of());
    List<String> names = resultNames.getOrDefault(jobId, List.of());
    int from = pageToken == null ? 0 : Integer.parseInt(pageToken);
    ObjectNode response = JSON.createObjectNode();
    response.put("kind", "bigquery#getQueryResultsResponse");
    response.set("jobReference", job.get("jobReference"));
    response.put("jobComplete", true);
    response.put("totalRows", Integer.toString(rows.size()));
    ArrayNode fields = response.putObject("schema").putArray("fields");
    for (int i = 0; i < names.size(); i++) {
      Object sample = null;
      for (List<Object> row : rows) {
        sample = sample == null ? row.get(i) : sample;
      }
      String type = sample == null ? "STRING" : StandInSql.typeName(sample);
      fields.addObject().put("name", names.get(i)).put("type", StandInTable.legacy(type));
    }
    ArrayNode out = response.putArray("rows");
    for (int r = from; r < Math.min(rows.size(), from + PAGE_SIZE); r++) {
      ArrayNode cells = out.addObject().putArray("f");
      for (Object value : rows.get(r)) {
        ObjectNode cell = cells.addObject();
        if (value == null) {
          cell.putNull("v");
        } else if (value instanceof Instant) {
          // The REST API renders a TIMESTAMP cell as seconds since the epoch.
          Instant instant = (Instant) value;
          cell.put(
              "v",
              BigDecimal.valueOf(
                      instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000, 6)
                  .toString());
        } else {
          cell.put("v", StandInSql.text(value));
        }
      }
    }
    if (from + PAGE_SIZE < rows.size()) {
      response.put("pageToken", Integer.toString(from + PAGE_SIZE));
    }
    return response;
  }

  // --- load ---

  private void load(JsonNode load, ObjectNode statistics) {
    JsonNode destination = load.path("destinationTable");
    String tableId = destination.path("tableId").asText();
    String decorator = tableId.contains("$") ? tableId.substring(tableId.indexOf('$') + 1) : null;
    String id =
        destination.path("projectId").asText()
            + "."
            + destination.path("datasetId").asText()
            + "."
            + tableId.split("\\$")[0];
    String format = load.path("sourceFormat").asText("CSV");
    if (!"PARQUET".equals(format)) {
      throw BigQueryError.invalid("stand-in: only PARQUET loads are served, got " + format);
    }
    String write = load.path("writeDisposition").asText("WRITE_APPEND");
    String create = load.path("createDisposition").asText("CREATE_IF_NEEDED");
    List<String> updates = new ArrayList<>();
    load.path("schemaUpdateOptions").forEach(option -> updates.add(option.asText()));
    List<StandInTable.Field> loadSchema = fields(load.at("/schema/fields"), id);
    List<String> uris = new ArrayList<>();
    load.path("sourceUris").forEach(uri -> uris.add(uri.asText()));

    synchronized (standIn) {
      StandInTable table = standIn.table(id).orElse(null);
      if (table == null) {
        if ("CREATE_NEVER".equals(create)) {
          throw BigQueryError.notFound("Table " + friendly(id));
        }
        table = created(id, load, loadSchema);
      } else {
        checkLayout(table, load);
      }
      if (!updates.isEmpty()
          && !("WRITE_APPEND".equals(write)
              || "WRITE_TRUNCATE".equals(write) && decorator != null)) {
        throw BigQueryError.invalid(
            "Schema update options should only be specified with WRITE_APPEND disposition, or"
                + " with WRITE_TRUNCATE disposition on a table partition.");
      }
      if ("WRITE_EMPTY".equals(write) && !table.rows.isEmpty()) {
        throw BigQueryError.of(409, "duplicate", "Already Exists: Table " + friendly(id));
      }
      boolean replaceSchema = "WRITE_TRUNCATE".equals(write) && decorator == null;
      List<StandInTable.Field> schema =
          replaceSchema && !loadSchema.isEmpty()
              ? loadSchema
              : merged(table, loadSchema, updates, friendly(id));
      List<Map<String, Object>> rows = read(uris, schema, friendly(id));
      StandInTable shaped = new StandInTable(table.project, table.dataset, table.name);
      shaped.schema.addAll(schema);
      shaped.partitionType = table.partitionType;
      shaped.partitionField = table.partitionField;
      if (table.partitionField != null && shaped.field(table.partitionField) == null) {
        throw BigQueryError.invalid(
            "The field specified for time partitioning can not be found in the schema: "
                + table.partitionField);
      }
      Set<String> touched = new HashSet<>();
      for (Map<String, Object> row : rows) {
        String partition = shaped.partitionOf(row);
        if (decorator != null && !partition.equals(decorator)) {
          throw BigQueryError.invalid(
              "Some rows belong to different partitions rather than destination partition "
                  + decorator);
        }
        touched.add(partition);
      }
      if ("WRITE_TRUNCATE".equals(write) && decorator == null) {
        for (Map<String, Object> row : table.rows) {
          touched.add(table.partitionOf(row));
        }
      }
      checkPartitionCount(touched.size());
      List<Map<String, Object>> next = new ArrayList<>();
      if ("WRITE_APPEND".equals(write) || decorator != null) {
        for (Map<String, Object> row : table.rows) {
          if (decorator == null
              || !table.partitionOf(row).equals(decorator)
              || !"WRITE_TRUNCATE".equals(write)) {
            next.add(row);
          }
        }
      }
      next.addAll(rows);
      table.schema.clear();
      table.schema.addAll(schema);
      table.rows = next;
      table.modifiedAt = System.currentTimeMillis();
      afterWrite(id, table);
      statistics.put("inputFiles", Integer.toString(uris.size()));
      statistics.put("inputFileBytes", "0");
      statistics.put("outputRows", Integer.toString(rows.size()));
      statistics.put("outputBytes", "0");
      statistics.put("badRecords", "0");
    }
  }

  private StandInTable created(String id, JsonNode load, List<StandInTable.Field> schema) {
    String[] parts = id.split("\\.");
    if (!standIn.datasets.contains(parts[0] + "." + parts[1])) {
      throw BigQueryError.notFound("Dataset " + parts[0] + ":" + parts[1]);
    }
    if (schema.isEmpty()) {
      throw BigQueryError.invalid("stand-in: schema autodetection is not served");
    }
    StandInTable table = new StandInTable(parts[0], parts[1], parts[2]);
    table.schema.addAll(schema);
    JsonNode partitioning = load.path("timePartitioning");
    if (partitioning.isObject()) {
      checkPartitioning(schema, partitioning);
      table.partitionType = partitioning.path("type").asText("DAY");
      table.partitionField = partitioning.path("field").asText(null);
    }
    table.clustering = clustering(schema, load.path("clustering"));
    standIn.tables.put(id, table);
    return table;
  }

  private static void checkLayout(StandInTable table, JsonNode load) {
    JsonNode partitioning = load.path("timePartitioning");
    if (partitioning.isObject()) {
      String type = partitioning.path("type").asText("DAY");
      String field = partitioning.path("field").asText(null);
      if (!table.sameLayout(type, field)) {
        String input =
            "interval(type:"
                + type.toLowerCase(Locale.ROOT)
                + (field == null ? "" : ",field:" + field)
                + ")";
        throw BigQueryError.invalid(
            "Incompatible table partitioning specification. Expects partitioning specification "
                + table.partitioning()
                + ", but input partitioning specification is "
                + input);
      }
    }
    JsonNode clustering = load.path("clustering");
    if (clustering.isObject()) {
      List<String> fields = new ArrayList<>();
      clustering.path("fields").forEach(f -> fields.add(f.asText()));
      if (!fields.equals(table.clustering)) {
        throw BigQueryError.invalid(
            "Incompatible table partitioning specification. Expects clustering fields "
                + table.clustering
                + ", but input clustering fields are "
                + fields);
      }
    }
  }

  /** The table's schema after a load that keeps it: added columns only with the option. */
  private static List<StandInTable.Field> merged(
      StandInTable table, List<StandInTable.Field> load, List<String> updates, String friendly) {
    List<StandInTable.Field> schema = new ArrayList<>(table.schema);
    for (StandInTable.Field field : load) {
      StandInTable.Field current = table.field(field.name);
      if (current == null) {
        if (!updates.contains("ALLOW_FIELD_ADDITION")) {
          throw BigQueryError.schemaMismatch(
              friendly, "Cannot add fields (field: " + field.name + ")");
        }
        schema.add(new StandInTable.Field(field.name, field.type, "NULLABLE"));
      } else if (!current.type.equals(field.type)) {
        throw BigQueryError.schemaMismatch(
            friendly,
            "Field "
                + field.name
                + " has changed type from "
                + StandInTable.legacy(current.type)
                + " to "
                + StandInTable.legacy(field.type));
      } else if ("REQUIRED".equals(field.mode) && !"REQUIRED".equals(current.mode)) {
        throw BigQueryError.schemaMismatch(
            friendly,
            "Field " + field.name + " has changed mode from " + current.mode + " to REQUIRED");
      }
    }
    return schema;
  }

  /** The staged Parquet files' rows, typed by the schema BigQuery loads them into. */
  private List<Map<String, Object>> read(
      List<String> uris, List<StandInTable.Field> schema, String friendly) {
    for (String uri : uris) {
      if (!uri.startsWith("file:")) {
        throw BigQueryError.invalid("stand-in: only file: source URIs are served, got " + uri);
      }
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    if (uris.isEmpty()) {
      return rows;
    }
    List<Row> read = spark.read().parquet(uris.toArray(new String[0])).collectAsList();
    for (Row row : read) {
      Map<String, Object> values = new LinkedHashMap<>();
      for (StandInTable.Field field : schema) {
        int index;
        try {
          index = row.fieldIndex(field.name);
        } catch (IllegalArgumentException missing) {
          if ("REQUIRED".equals(field.mode)) {
            throw BigQueryError.invalid("Required field " + field.name + " is missing in the data");
          }
          values.put(field.name, null);
          continue;
        }
        Object value = row.isNullAt(index) ? null : row.get(index);
        if (value == null && "REQUIRED".equals(field.mode)) {
          throw BigQueryError.invalid("Required field " + field.name + " cannot be null");
        }
        values.put(field.name, value == null ? null : convert(value, row, index, field, friendly));
      }
      rows.add(values);
    }
    return rows;
  }

  private static Object convert(
      Object value, Row row, int index, StandInTable.Field field, String friendly) {
    if ("REPEATED".equals(field.mode)) {
      List<Object> out = new ArrayList<>();
      StandInTable.Field element = new StandInTable.Field(field.name, field.type, "NULLABLE");
      for (Object item : row.getList(index)) {
        out.add(item == null ? null : scalar(item, element, friendly));
      }
      return out;
    }
    return scalar(value, field, friendly);
  }

  private static Object scalar(Object value, StandInTable.Field field, String friendly) {
    switch (field.type) {
      case "INT64":
        if (value instanceof Long
            || value instanceof Integer
            || value instanceof Short
            || value instanceof Byte) {
          return ((Number) value).longValue();
        }
        break;
      case "FLOAT64":
        if (value instanceof Double || value instanceof Float) {
          return ((Number) value).doubleValue();
        }
        break;
      case "NUMERIC":
      case "BIGNUMERIC":
        if (value instanceof BigDecimal) {
          BigDecimal decimal = (BigDecimal) value;
          boolean numeric = "NUMERIC".equals(field.type);
          int maxScale = numeric ? 9 : 38;
          int maxInteger = numeric ? 29 : 38;
          BigDecimal stripped = decimal.stripTrailingZeros();
          if (stripped.scale() > maxScale || decimal.precision() - decimal.scale() > maxInteger) {
            throw BigQueryError.invalid(
                "Invalid "
                    + field.type
                    + " value: "
                    + decimal.toPlainString()
                    + " for field "
                    + field.name);
          }
          return decimal;
        }
        if (value instanceof Long || value instanceof Integer) {
          return BigDecimal.valueOf(((Number) value).longValue());
        }
        break;
      case "STRING":
        if (value instanceof String) {
          return value;
        }
        break;
      case "BOOL":
        if (value instanceof Boolean) {
          return value;
        }
        break;
      case "DATE":
        if (value instanceof java.sql.Date) {
          return ((java.sql.Date) value).toLocalDate();
        }
        break;
      case "TIMESTAMP":
        if (value instanceof java.sql.Timestamp) {
          return ((java.sql.Timestamp) value).toInstant().truncatedTo(ChronoUnit.MICROS);
        }
        break;
      case "BYTES":
        if (value instanceof byte[]) {
          return value;
        }
        break;
      default:
        throw BigQueryError.invalid("stand-in: " + field.type + " columns are not served");
    }
    throw BigQueryError.invalid(
        "Error while reading data, error message: Parquet column '"
            + field.name
            + "' has type "
            + value.getClass().getSimpleName()
            + " which does not match the target type "
            + field.type
            + " of "
            + friendly);
  }

  // --- query ---

  private void query(String jobId, JsonNode query, ObjectNode statistics) {
    if (query.path("useLegacySql").asBoolean(true)) {
      throw BigQueryError.invalid("stand-in: legacy SQL is not served (set useLegacySql = false)");
    }
    if (query.has("destinationTable")) {
      throw BigQueryError.invalid("stand-in: query destination tables are not served");
    }
    Map<String, Object> params = parameters(query.path("queryParameters"));
    Object statement = StandInSql.parse(query.path("query").asText());
    synchronized (standIn) {
      if (statement instanceof StandInSql.Select) {
        statistics.put("statementType", "SELECT");
        select(jobId, (StandInSql.Select) statement, params);
      } else {
        statistics.put("statementType", "MERGE");
        statistics.put(
            "numDmlAffectedRows", Long.toString(merge((StandInSql.Merge) statement, params)));
      }
      statistics.put("totalBytesProcessed", "0");
    }
  }

  private void select(String jobId, StandInSql.Select select, Map<String, Object> params) {
    StandInTable table = standIn.existing(select.table);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> row : table.rows) {
      if (select.where == null
          || StandInSql.holds(select.where, new StandInSql.Context(row, null, params, null))) {
        rows.add(row);
      }
    }
    List<List<Object>> out = new ArrayList<>();
    for (List<Map<String, Object>> group : StandInSql.groups(select, rows, params).values()) {
      Map<String, Object> first = group.isEmpty() ? Map.of() : group.get(0);
      List<Object> values = new ArrayList<>();
      for (StandInSql.Expr item : select.items) {
        values.add(item.eval(new StandInSql.Context(first, group, params, null)));
      }
      out.add(values);
    }
    synchronized (this) {
      results.put(jobId, out);
      resultNames.put(jobId, select.names);
    }
  }

  private long merge(StandInSql.Merge merge, Map<String, Object> params) {
    StandInTable target = standIn.existing(merge.target);
    StandInTable source = standIn.existing(merge.source);
    for (String column : merge.insertColumns) {
      if (target.field(column) == null) {
        throw new StandInSql.SqlException(
            "Name " + column + " not found inside " + merge.targetAlias);
      }
    }
    List<Map<String, Object>> kept = new ArrayList<>();
    Set<String> touched = new HashSet<>();
    long affected = 0;
    for (Map<String, Object> row : target.rows) {
      boolean delete =
          merge.deleteCondition == null
              || StandInSql.holds(
                  merge.deleteCondition,
                  new StandInSql.Context(row, null, params, merge.targetAlias));
      if (delete) {
        touched.add(target.partitionOf(row));
        affected++;
      } else {
        kept.add(row);
      }
    }
    for (Map<String, Object> row : source.rows) {
      Map<String, Object> inserted = new LinkedHashMap<>();
      for (StandInTable.Field field : target.schema) {
        inserted.put(field.name, null);
      }
      for (int i = 0; i < merge.insertColumns.size(); i++) {
        StandInTable.Field field = target.field(merge.insertColumns.get(i));
        Object value =
            merge
                .insertValues
                .get(i)
                .eval(new StandInSql.Context(row, null, params, merge.sourceAlias));
        if (value != null
            && !StandInSql.typeName(value)
                .equals(comparable(field.type, "REPEATED".equals(field.mode)))) {
          throw new StandInSql.SqlException(
              "Value of type "
                  + StandInSql.typeName(value)
                  + " cannot be assigned to "
                  + field.name
                  + ", which has type "
                  + field.type);
        }
        inserted.put(field.name, value);
      }
      touched.add(target.partitionOf(inserted));
      kept.add(inserted);
      affected++;
    }
    checkPartitionCount(touched.size());
    target.rows = kept; // all or nothing: the new rows replace the old list in one step
    target.modifiedAt = System.currentTimeMillis();
    afterWrite(merge.target, target);
    return affected;
  }

  private static String comparable(String type, boolean repeated) {
    if (repeated) {
      return "ARRAY";
    }
    return "NUMERIC".equals(type) ? "BIGNUMERIC" : type;
  }

  private synchronized void afterWrite(String id, StandInTable table) {
    Consumer<List<Map<String, Object>>> change = afterWrite.remove(id);
    if (change != null) {
      List<Map<String, Object>> rows = new ArrayList<>(table.rows);
      change.accept(rows);
      table.rows = rows;
    }
  }

  private static void checkPartitionCount(int partitions) {
    if (partitions > MAX_PARTITIONS) {
      throw BigQueryError.invalid(
          "Too many partitions produced by query, allowed "
              + MAX_PARTITIONS
              + ", query produces at least "
              + partitions
              + " partitions");
    }
  }

  private static Map<String, Object> parameters(JsonNode parameters) {
    Map<String, Object> values = new HashMap<>();
    for (JsonNode parameter : parameters) {
      String type = parameter.at("/parameterType/type").asText();
      JsonNode value = parameter.path("parameterValue");
      if ("ARRAY".equals(type)) {
        String element = parameter.at("/parameterType/arrayType/type").asText();
        List<Object> list = new ArrayList<>();
        value.path("arrayValues").forEach(v -> list.add(scalarParameter(element, v.path("value"))));
        values.put(parameter.path("name").asText(), list);
      } else {
        values.put(parameter.path("name").asText(), scalarParameter(type, value.path("value")));
      }
    }
    return values;
  }

  private static Object scalarParameter(String type, JsonNode value) {
    if (value.isMissingNode() || value.isNull()) {
      return null;
    }
    String text = value.asText();
    switch (type) {
      case "DATE":
        return LocalDate.parse(text);
      case "TIMESTAMP":
        String iso = text.replace(' ', 'T');
        iso = iso.matches(".*[+-]\\d\\d$") ? iso + ":00" : iso;
        return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      case "BOOL":
        if (!text.equals("true") && !text.equals("false")) {
          throw BigQueryError.invalid("Invalid BOOL query parameter value: " + text);
        }
        return Boolean.parseBoolean(text);
      case "INT64":
        return Long.parseLong(text);
      case "STRING":
        return text;
      default:
        throw BigQueryError.invalid("stand-in: " + type + " parameters are not served");
    }
  }

  // --- schema helpers shared with tables.insert/patch ---

  static List<StandInTable.Field> fields(JsonNode fields, String table) {
    List<StandInTable.Field> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (JsonNode field : fields) {
      String name = field.path("name").asText();
      String type = StandInTable.standard(field.path("type").asText());
      String mode = field.path("mode").asText("NULLABLE");
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]{0,299}")) {
        throw BigQueryError.invalid("Invalid field name \"" + name + "\" in " + table);
      }
      if (!names.add(name.toLowerCase(Locale.ROOT))) {
        throw BigQueryError.invalid(
            "Duplicate column names in the schema of " + table + ": " + name);
      }
      if (!TYPES.contains(type)) {
        throw BigQueryError.invalid(
            "Invalid value for type: " + field.path("type").asText() + " is not a valid value");
      }
      if ("STRUCT".equals(type)) {
        throw BigQueryError.invalid("stand-in: RECORD columns are not served (" + name + ")");
      }
      out.add(new StandInTable.Field(name, type, mode));
    }
    return out;
  }

  static void checkPartitioning(List<StandInTable.Field> schema, JsonNode partitioning) {
    String type = partitioning.path("type").asText("DAY");
    if (!Set.of("HOUR", "DAY", "MONTH", "YEAR").contains(type)) {
      throw BigQueryError.invalid("Invalid time partitioning type " + type);
    }
    String field = partitioning.path("field").asText(null);
    if (field == null) {
      return;
    }
    StandInTable.Field column =
        schema.stream().filter(f -> f.name.equalsIgnoreCase(field)).findFirst().orElse(null);
    if (column == null) {
      throw BigQueryError.invalid(
          "The field specified for time partitioning can not be found in the schema: " + field);
    }
    if (!Set.of("DATE", "TIMESTAMP", "DATETIME").contains(column.type)
        || "REPEATED".equals(column.mode)) {
      throw BigQueryError.invalid(
          "The field specified for time partitioning can only be of type TIMESTAMP, DATE or"
              + " DATETIME. The type found is: "
              + StandInTable.legacy(column.type));
    }
    if ("DATE".equals(column.type) && "HOUR".equals(type)) {
      throw BigQueryError.invalid("HOUR partitioning is not supported for a DATE column: " + field);
    }
  }

  static List<String> clustering(List<StandInTable.Field> schema, JsonNode clustering) {
    List<String> fields = new ArrayList<>();
    clustering.path("fields").forEach(f -> fields.add(f.asText()));
    if (fields.size() > 4) {
      throw BigQueryError.invalid(
          "Too many clustering fields: " + fields.size() + ", only 4 allowed");
    }
    for (String name : fields) {
      StandInTable.Field column =
          schema.stream().filter(f -> f.name.equals(name)).findFirst().orElse(null);
      if (column == null) {
        throw BigQueryError.invalid(
            "The field specified for clustering cannot be found in the schema.  Invalid field: "
                + name);
      }
      if ("REPEATED".equals(column.mode)
          || Set.of("FLOAT64", "STRUCT", "JSON").contains(column.type)) {
        throw BigQueryError.invalid(
            "Field "
                + name
                + " is of type "
                + StandInTable.legacy(column.type)
                + " which is not supported for clustering");
      }
    }
    return List.copyOf(fields);
  }

  private static String friendly(String id) {
    String[] parts = id.split("\\.");
    return parts[0] + ":" + parts[1] + "." + parts[2];
  }
}
