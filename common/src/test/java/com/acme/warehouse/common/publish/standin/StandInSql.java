package com.acme.warehouse.common.publish.standin;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The part of BigQuery's standard SQL the stand-in executes, evaluated with BigQuery's semantics:
 * {@code SELECT ... FROM `t` [WHERE ...] [GROUP BY ...]} with COUNT(*), SUM, CAST (STRING,
 * BIGNUMERIC), DATE_TRUNC, TIMESTAMP_TRUNC, IN UNNEST(@array), IS [NOT] NULL, AND/OR/NOT; and
 * {@code MERGE t USING s ON FALSE WHEN NOT MATCHED BY SOURCE [AND cond] THEN DELETE WHEN NOT
 * MATCHED [BY TARGET] THEN INSERT (cols) VALUES (exprs)}. Anything else — scripts, other
 * statements, other functions — is refused as unsupported, so a test can never pass on SQL the
 * stand-in only pretended to run. Types are checked as BigQuery checks them: a function or IN of
 * the wrong type is an error, not a coercion.
 */
final class StandInSql {
  /** A statement the stand-in refuses, with BigQuery's kind of message. */
  static final class SqlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SqlException(String message) {
      super(message);
    }
  }

  /** What evaluation sees: a row (or a group of rows) and the named parameters. */
  static final class Context {
    final Map<String, Object> row;
    final List<Map<String, Object>> group;
    final Map<String, Object> params;
    final String alias;

    Context(
        Map<String, Object> row,
        List<Map<String, Object>> group,
        Map<String, Object> params,
        String alias) {
      this.row = row;
      this.group = group;
      this.params = params;
      this.alias = alias;
    }
  }

  interface Expr {
    Object eval(Context context);
  }

  /** A parsed SELECT. */
  static final class Select {
    final List<Expr> items = new ArrayList<>();
    final List<String> names = new ArrayList<>();
    String table;
    Expr where;
    final List<String> groupBy = new ArrayList<>();
  }

  /** A parsed MERGE of the supported shape. */
  static final class Merge {
    String target;
    String targetAlias;
    String source;
    String sourceAlias;
    Expr deleteCondition;
    final List<String> insertColumns = new ArrayList<>();
    final List<Expr> insertValues = new ArrayList<>();
  }

  private static final Set<String> UNITS = Set.of("HOUR", "DAY", "MONTH", "YEAR");
  private static final DateTimeFormatter TIMESTAMP_TEXT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private final List<String> tokens;
  private int at;

  private StandInSql(String sql) {
    this.tokens = tokenize(sql);
  }

  /** A SELECT or MERGE, whichever the text is. */
  static Object parse(String sql) {
    StandInSql parser = new StandInSql(sql);
    Object statement;
    if (parser.peekIs("SELECT")) {
      statement = parser.select();
    } else if (parser.peekIs("MERGE")) {
      statement = parser.merge();
    } else {
      throw new SqlException("stand-in: unsupported statement: " + abbreviate(sql));
    }
    if (parser.at < parser.tokens.size()) {
      throw new SqlException(
          "stand-in: unsupported text after the statement at '"
              + parser.tokens.get(parser.at)
              + "'");
    }
    return statement;
  }

  private Select select() {
    expect("SELECT");
    Select select = new Select();
    do {
      Expr item = expression();
      String name = "f" + select.items.size() + "_";
      if (acceptWord("AS")) {
        name = identifier();
      }
      select.items.add(item);
      select.names.add(name);
    } while (accept(","));
    expect("FROM");
    select.table = tableName();
    if (acceptWord("WHERE")) {
      select.where = expression();
    }
    if (acceptWord("GROUP")) {
      expect("BY");
      do {
        select.groupBy.add(identifier());
      } while (accept(","));
    }
    return select;
  }

  private Merge merge() {
    expect("MERGE");
    Merge merge = new Merge();
    merge.target = tableName();
    acceptWord("AS");
    merge.targetAlias = identifier();
    expect("USING");
    merge.source = tableName();
    acceptWord("AS");
    merge.sourceAlias = identifier();
    expect("ON");
    expect("FALSE");
    expect("WHEN");
    expect("NOT");
    expect("MATCHED");
    expect("BY");
    expect("SOURCE");
    if (acceptWord("AND")) {
      merge.deleteCondition = expression();
    }
    expect("THEN");
    expect("DELETE");
    expect("WHEN");
    expect("NOT");
    expect("MATCHED");
    if (acceptWord("BY")) {
      expect("TARGET");
    }
    expect("THEN");
    expect("INSERT");
    expect("(");
    do {
      merge.insertColumns.add(identifier());
    } while (accept(","));
    expect(")");
    expect("VALUES");
    expect("(");
    do {
      merge.insertValues.add(expression());
    } while (accept(","));
    expect(")");
    if (merge.insertColumns.size() != merge.insertValues.size()) {
      throw new SqlException(
          "Inserted row has wrong column count; Has "
              + merge.insertValues.size()
              + ", "
              + merge.insertColumns.size()
              + " expected");
    }
    return merge;
  }

  private Expr expression() {
    Expr left = conjunction();
    while (acceptWord("OR")) {
      Expr a = left;
      Expr b = conjunction();
      left = c -> or(a.eval(c), b.eval(c));
    }
    return left;
  }

  private Expr conjunction() {
    Expr left = negation();
    while (acceptWord("AND")) {
      Expr a = left;
      Expr b = negation();
      left = c -> and(a.eval(c), b.eval(c));
    }
    return left;
  }

  private Expr negation() {
    if (acceptWord("NOT")) {
      Expr inner = negation();
      return c -> {
        Object value = inner.eval(c);
        return value == null ? null : !bool(value);
      };
    }
    return predicate();
  }

  private Expr predicate() {
    Expr left = primary();
    if (acceptWord("IN")) {
      expect("UNNEST");
      expect("(");
      String param = parameterName();
      expect(")");
      return c -> {
        Object value = left.eval(c);
        Object array = parameter(c, param);
        if (!(array instanceof List)) {
          throw new SqlException("Values referenced in UNNEST must be arrays. @" + param);
        }
        if (value == null) {
          return null;
        }
        for (Object element : (List<?>) array) {
          if (element != null && element.getClass() != value.getClass()) {
            throw new SqlException(
                "No matching signature for operator IN UNNEST for argument types: "
                    + typeName(value)
                    + ", ARRAY<"
                    + typeName(element)
                    + ">");
          }
        }
        return ((List<?>) array).contains(value);
      };
    }
    if (acceptWord("IS")) {
      boolean not = acceptWord("NOT");
      expect("NULL");
      return c -> (left.eval(c) == null) != not;
    }
    if (accept("=")) {
      Expr right = primary();
      return c -> {
        Object a = left.eval(c);
        Object b = right.eval(c);
        return a == null || b == null ? null : compare(a, b) == 0;
      };
    }
    return left;
  }

  private Expr primary() {
    if (accept("(")) {
      Expr inner = expression();
      expect(")");
      return inner;
    }
    String token = next();
    if (token.startsWith("@")) {
      String name = token.substring(1);
      return c -> parameter(c, name);
    }
    String word = token.toUpperCase(Locale.ROOT);
    switch (word) {
      case "TRUE":
        return c -> Boolean.TRUE;
      case "FALSE":
        return c -> Boolean.FALSE;
      case "NULL":
        return c -> null;
      case "COUNT":
        expect("(");
        expect("*");
        expect(")");
        return c -> (long) group(c, "COUNT").size();
      case "SUM":
        {
          expect("(");
          Expr inner = expression();
          expect(")");
          return c -> sum(c, inner);
        }
      case "CAST":
        {
          expect("(");
          Expr inner = expression();
          expect("AS");
          String type = next().toUpperCase(Locale.ROOT);
          expect(")");
          return c -> cast(inner.eval(c), type);
        }
      case "DATE_TRUNC":
      case "TIMESTAMP_TRUNC":
        {
          expect("(");
          Expr inner = expression();
          expect(",");
          String unit = next().toUpperCase(Locale.ROOT);
          expect(")");
          if (!UNITS.contains(unit)) {
            throw new SqlException("stand-in: unsupported date part " + unit);
          }
          boolean date = "DATE_TRUNC".equals(word);
          return c -> truncate(inner.eval(c), unit, date);
        }
      default:
        break;
    }
    if (token.matches("-?[0-9]+")) {
      long number = Long.parseLong(token);
      return c -> number;
    }
    if (token.startsWith("'")) {
      String text = token.substring(1, token.length() - 1);
      return c -> text;
    }
    String qualifier = null;
    String column = unquote(token);
    if (accept(".")) {
      qualifier = column;
      column = unquote(next());
    }
    if (peekIs("(")) {
      throw new SqlException("stand-in: unsupported function " + token);
    }
    String q = qualifier;
    String name = column;
    return c -> column(c, q, name);
  }

  private static Object column(Context c, String qualifier, String name) {
    if (qualifier != null && !qualifier.equalsIgnoreCase(c.alias)) {
      throw new SqlException("Unrecognized name: " + qualifier);
    }
    for (Map.Entry<String, Object> entry : c.row.entrySet()) {
      if (entry.getKey().equalsIgnoreCase(name)) {
        return entry.getValue();
      }
    }
    if (c.row.isEmpty()) {
      return null; // an empty group: aggregate-only SELECT over no rows
    }
    throw new SqlException("Unrecognized name: " + name);
  }

  private static Object parameter(Context c, String name) {
    if (!c.params.containsKey(name)) {
      throw new SqlException("Query parameter '" + name + "' not found");
    }
    return c.params.get(name);
  }

  private static List<Map<String, Object>> group(Context c, String function) {
    if (c.group == null) {
      throw new SqlException("Aggregate function " + function + " not allowed here");
    }
    return c.group;
  }

  private static Object sum(Context c, Expr inner) {
    Object total = null;
    for (Map<String, Object> row : group(c, "SUM")) {
      Object value = inner.eval(new Context(row, null, c.params, c.alias));
      if (value == null) {
        continue;
      }
      if (value instanceof Long) {
        total = total == null ? value : Math.addExact((Long) total, (Long) value);
      } else if (value instanceof BigDecimal) {
        total = total == null ? value : ((BigDecimal) total).add((BigDecimal) value);
      } else if (value instanceof Double) {
        total = total == null ? value : (Double) total + (Double) value;
      } else {
        throw new SqlException(
            "No matching signature for aggregate function SUM for argument types: "
                + typeName(value));
      }
    }
    return total;
  }

  private static Object cast(Object value, String type) {
    if (value == null) {
      return null;
    }
    switch (type) {
      case "STRING":
        return text(value);
      case "BIGNUMERIC":
      case "NUMERIC":
        if (value instanceof Long) {
          return BigDecimal.valueOf((Long) value);
        }
        if (value instanceof BigDecimal) {
          return value;
        }
        if (value instanceof Double) {
          return BigDecimal.valueOf((Double) value);
        }
        break;
      default:
        throw new SqlException("stand-in: unsupported CAST to " + type);
    }
    throw new SqlException("Invalid cast from " + typeName(value) + " to " + type);
  }

  private static Object truncate(Object value, String unit, boolean date) {
    if (value == null) {
      return null;
    }
    if (date && !(value instanceof LocalDate) || !date && !(value instanceof Instant)) {
      throw new SqlException(
          "No matching signature for function "
              + (date ? "DATE_TRUNC" : "TIMESTAMP_TRUNC")
              + " for argument types: "
              + typeName(value)
              + ", DATE_TIME_PART");
    }
    if (date && "HOUR".equals(unit)) {
      throw new SqlException("DATE_TRUNC does not support the HOUR date part");
    }
    Instant start = StandInTable.truncate(value, unit);
    return date ? start.atOffset(ZoneOffset.UTC).toLocalDate() : start;
  }

  /** A value as BigQuery casts it to STRING (and, for the REST API, as a result cell). */
  static String text(Object value) {
    if (value instanceof Instant) {
      Instant instant = (Instant) value;
      String micros =
          instant.getNano() == 0 ? "" : String.format(".%06d", instant.getNano() / 1000);
      return TIMESTAMP_TEXT.format(instant) + micros + "+00";
    }
    if (value instanceof BigDecimal) {
      BigDecimal decimal = ((BigDecimal) value).stripTrailingZeros();
      return (decimal.scale() < 0 ? decimal.setScale(0) : decimal).toPlainString();
    }
    return String.valueOf(value);
  }

  static String typeName(Object value) {
    if (value instanceof Long) {
      return "INT64";
    }
    if (value instanceof BigDecimal) {
      return "BIGNUMERIC";
    }
    if (value instanceof Double) {
      return "FLOAT64";
    }
    if (value instanceof Boolean) {
      return "BOOL";
    }
    if (value instanceof LocalDate) {
      return "DATE";
    }
    if (value instanceof Instant) {
      return "TIMESTAMP";
    }
    if (value instanceof List) {
      return "ARRAY";
    }
    return "STRING";
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a.getClass() != b.getClass()) {
      throw new SqlException(
          "No matching signature for operator = for argument types: "
              + typeName(a)
              + ", "
              + typeName(b));
    }
    return ((Comparable) a).compareTo(b);
  }

  private static Object or(Object a, Object b) {
    if (Boolean.TRUE.equals(a) || Boolean.TRUE.equals(b)) {
      return true;
    }
    return a == null || b == null ? null : false;
  }

  private static Object and(Object a, Object b) {
    if (Boolean.FALSE.equals(a) || Boolean.FALSE.equals(b)) {
      return false;
    }
    return a == null || b == null ? null : true;
  }

  private static boolean bool(Object value) {
    if (!(value instanceof Boolean)) {
      throw new SqlException("Expected BOOL, got " + typeName(value));
    }
    return (Boolean) value;
  }

  /** Evaluates a condition as WHERE does: NULL is not true. */
  static boolean holds(Expr condition, Context context) {
    Object value = condition.eval(context);
    return value != null && bool(value);
  }

  /** Rows grouped by the GROUP BY items' values (one group of all rows without GROUP BY). */
  static Map<List<Object>, List<Map<String, Object>>> groups(
      Select select, List<Map<String, Object>> rows, Map<String, Object> params) {
    Map<List<Object>, List<Map<String, Object>>> groups = new LinkedHashMap<>();
    if (select.groupBy.isEmpty()) {
      groups.put(List.of(), rows);
      return groups;
    }
    for (Map<String, Object> row : rows) {
      List<Object> key = new ArrayList<>();
      for (String name : select.groupBy) {
        int item = select.names.indexOf(name);
        if (item < 0) {
          throw new SqlException("Unrecognized name: " + name);
        }
        key.add(select.items.get(item).eval(new Context(row, null, params, null)));
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
    }
    return groups;
  }

  // --- tokens ---

  private static List<String> tokenize(String sql) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < sql.length()) {
      char ch = sql.charAt(i);
      if (Character.isWhitespace(ch)) {
        i++;
      } else if (ch == ';') {
        throw new SqlException("stand-in: unsupported: scripts (more than one statement)");
      } else if (ch == '`' || ch == '\'') {
        int end = sql.indexOf(ch, i + 1);
        if (end < 0) {
          throw new SqlException("Syntax error: unclosed " + ch);
        }
        tokens.add(sql.substring(i, end + 1));
        i = end + 1;
      } else if (Character.isLetterOrDigit(ch) || ch == '_' || ch == '@') {
        int end = i + 1;
        while (end < sql.length()
            && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) {
          end++;
        }
        tokens.add(sql.substring(i, end));
        i = end;
      } else {
        tokens.add(String.valueOf(ch));
        i++;
      }
    }
    return tokens;
  }

  private String next() {
    if (at >= tokens.size()) {
      throw new SqlException("Syntax error: unexpected end of statement");
    }
    return tokens.get(at++);
  }

  private boolean peekIs(String word) {
    return at < tokens.size() && tokens.get(at).equalsIgnoreCase(word);
  }

  private boolean accept(String symbol) {
    if (peekIs(symbol)) {
      at++;
      return true;
    }
    return false;
  }

  private boolean acceptWord(String word) {
    return accept(word);
  }

  private void expect(String word) {
    String token = next();
    if (!token.equalsIgnoreCase(word)) {
      throw new SqlException(
          "stand-in: unsupported or invalid SQL: expected " + word + " but got " + token);
    }
  }

  private String identifier() {
    return unquote(next());
  }

  private String parameterName() {
    String token = next();
    if (!token.startsWith("@")) {
      throw new SqlException("stand-in: unsupported: UNNEST of anything but a parameter");
    }
    return token.substring(1);
  }

  private String tableName() {
    String token = next();
    if (!token.startsWith("`")) {
      throw new SqlException("stand-in: table names must be `project.dataset.table`: " + token);
    }
    return unquote(token);
  }

  private static String unquote(String token) {
    return token.startsWith("`") ? token.substring(1, token.length() - 1) : token;
  }

  private static String abbreviate(String sql) {
    String line = sql.replaceAll("\\s+", " ");
    return line.length() > 120 ? line.substring(0, 120) + "..." : line;
  }
}
