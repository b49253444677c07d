package com.acme.warehouse.common.publish;

import com.google.api.services.bigquery.model.TableFieldSchema;
import com.google.api.services.bigquery.model.TableSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.types.StructType;

/**
 * What a publish does to an existing BigQuery table's schema, decided before anything is written: a
 * column new in gold is added to the table first (a NULLABLE column, which BigQuery allows on any
 * table); a column whose type differs is refused, with the table and column named, since a load
 * cannot change a column's type without replacing the table's schema and a silent cast would change
 * the numbers. Types are compared as BigQuery stores them.
 */
final class SchemaEvolution {
  /** Thrown when a gold column's type differs from the BigQuery column's. */
  public static final class TypeChangeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    TypeChangeException(String message) {
      super(message);
    }
  }

  /** The existing table's schema with gold's new columns appended, and those columns' names. */
  static final class Evolved {
    final TableSchema schema;
    final List<String> added;

    private Evolved(TableSchema schema, List<String> added) {
      this.schema = schema;
      this.added = List.copyOf(added);
    }
  }

  private SchemaEvolution() {}

  /**
   * The schema the table needs for gold: its own columns in their order, then gold's new ones.
   * Throws {@link TypeChangeException} naming the first column whose type changed. Columns gold no
   * longer has stay (NULL in rows published from now on).
   */
  static Evolved evolve(String table, TableSchema existing, StructType gold) {
    Map<String, TableFieldSchema> known = new TreeMap<>();
    List<TableFieldSchema> fields = new ArrayList<>(existing.getFields());
    for (TableFieldSchema field : fields) {
      known.put(field.getName().toLowerCase(Locale.ROOT), field);
    }
    List<String> added = new ArrayList<>();
    for (TableFieldSchema wanted : BigQuerySchemas.of(gold).getFields()) {
      TableFieldSchema current = known.get(wanted.getName().toLowerCase(Locale.ROOT));
      if (current == null) {
        fields.add(wanted);
        added.add(wanted.getName());
        continue;
      }
      String before = BigQuerySchemas.typeOf(current);
      String after = BigQuerySchemas.typeOf(wanted);
      if (!before.equals(after)) {
        throw new TypeChangeException(
            table
                + ": column '"
                + wanted.getName()
                + "' is "
                + before
                + " in BigQuery but "
                + after
                + " in gold; a type change needs a migration (new column, or recreate the table),"
                + " nothing was written");
      }
    }
    return new Evolved(new TableSchema().setFields(fields), added);
  }
}
