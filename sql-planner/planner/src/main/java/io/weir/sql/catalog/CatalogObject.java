package io.weir.sql.catalog;

import io.weir.spi.connector.MetadataColumn;
import io.weir.spi.type.DataType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * A registered stream, table or view: its columns, watermark, key and connector options, the DDL
 * that created it, its identity and what it depends on. Immutable; the catalog replaces it as a whole.
 *
 * @param options the {@code WITH} options in the order written, keys lower-cased
 * @param id the object's identity, unique and never reused: an object dropped and created again under
 *        its name gets a new one, so what referred to the old object never attaches to the new one
 * @param dependencies the objects a view or materialized view reads (directly or through other views),
 *        by identity; empty for streams and tables; null when not recorded (a catalog written by a
 *        version of Weir that kept none, until the server has checked them)
 */
public record CatalogObject(String name, ObjectType type, List<ColumnDefinition> columns,
                            WatermarkDefinition watermark, List<String> primaryKey,
                            Map<String, String> options, String ddl, Instant createdAt, String id,
                            List<ObjectReference> dependencies) {
    public static final String CONNECTOR_OPTION = "connector";

    public CatalogObject {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(id, "id is null");
        dependencies = dependencies == null ? null : List.copyOf(dependencies);
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
        requireNonNull(ddl, "ddl is null");
        requireNonNull(createdAt, "createdAt is null");
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("an object has at least one column: " + name);
        }
    }

    /** A new object with a new identity and no dependencies (a stream or table). */
    public CatalogObject(String name, ObjectType type, List<ColumnDefinition> columns, WatermarkDefinition watermark,
                         List<String> primaryKey, Map<String, String> options, String ddl, Instant createdAt) {
        this(name, type, columns, watermark, primaryKey, options, ddl, createdAt, newId(), List.of());
    }

    /** A fresh identity for a new object. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /** This object with {@code dependencies} recorded. */
    public CatalogObject withDependencies(List<ObjectReference> dependencies) {
        return new CatalogObject(name, type, columns, watermark, primaryKey, options, ddl, createdAt, id,
                requireNonNull(dependencies, "dependencies is null"));
    }

    /** Whether this object reads {@code object} (by identity). */
    public boolean dependsOn(CatalogObject object) {
        return dependencies != null && dependencies.stream().anyMatch(reference -> reference.refersTo(object));
    }

    public Optional<WatermarkDefinition> watermarkDefinition() {
        return Optional.ofNullable(watermark);
    }

    /**
     * The event-time column when it is a computed one ({@code ts AS "dateTime"} with a WATERMARK on
     * {@code ts}): continuous queries have the source compute it, for the watermark.
     */
    public Optional<ColumnDefinition> computedEventTime() {
        return watermarkDefinition().flatMap(w -> column(w.column())).filter(c -> c.kind() == ColumnKind.COMPUTED);
    }

    public String connector() {
        return options.getOrDefault(CONNECTOR_OPTION, "");
    }

    /** Finds a column ignoring case, as unquoted identifiers resolve. */
    public Optional<ColumnDefinition> column(String columnName) {
        return columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst();
    }

    public int columnIndex(String columnName) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(columnName)) {
                return i;
            }
        }
        return -1;
    }

    /** The columns the connector's records carry, in declared order. */
    public List<DataType.Field> physicalSchema() {
        List<DataType.Field> fields = new ArrayList<>();
        for (ColumnDefinition column : columns) {
            if (column.kind() == ColumnKind.PHYSICAL) {
                fields.add(new DataType.Field(column.name(), column.type()));
            }
        }
        return fields;
    }

    /** The {@code METADATA FROM} columns, in declared order. */
    public List<MetadataColumn> metadataColumns() {
        List<MetadataColumn> metadata = new ArrayList<>();
        for (ColumnDefinition column : columns) {
            if (column.kind() == ColumnKind.METADATA) {
                metadata.add(new MetadataColumn(column.name(), column.effectiveMetadataKey(), column.type()));
            }
        }
        return metadata;
    }

    /**
     * The columns a source reader produces: the physical ones, then the metadata ones (see
     * {@link io.weir.spi.connector.ConnectorContext#readerRowType()}).
     */
    public List<DataType.Field> readerSchema() {
        List<DataType.Field> fields = physicalSchema();
        for (MetadataColumn column : metadataColumns()) {
            fields.add(new DataType.Field(column.name(), column.type()));
        }
        return fields;
    }

    public boolean isPrimaryKeyColumn(String columnName) {
        return primaryKey.stream().anyMatch(k -> k.equalsIgnoreCase(columnName));
    }
}
