package io.weir.sql.postgres;

import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.schema.WeirSchema;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.sql.type.SqlTypeName;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The SQL standard's {@code information_schema} over Weir's catalog, as PostgreSQL shows it: {@code schemata},
 * {@code tables}, {@code columns}, {@code table_constraints} and {@code key_column_usage} (primary keys), which SQLAlchemy, Grafana and other tools read to list tables and columns.
 */
public final class InformationSchema extends AbstractSchema {
    public static final String NAME = "information_schema";

    private final Catalog catalog;

    public InformationSchema(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    @Override
    protected Map<String, Table> getTableMap() {
        Map<String, Table> tables = new LinkedHashMap<>();
        tables.put("schemata", new PgCatalogSchema.RowsTable(f -> f.builder()
                .add("catalog_name", SqlTypeName.VARCHAR).add("schema_name", SqlTypeName.VARCHAR).add("schema_owner", SqlTypeName.VARCHAR)
                .build(), () -> List.of(new Object[] {PgFunctions.DATABASE, WeirSchema.NAME, PgFunctions.OWNER},
                new Object[] {PgFunctions.DATABASE, PgCatalogSchema.NAME, PgFunctions.OWNER},
                new Object[] {PgFunctions.DATABASE, NAME, PgFunctions.OWNER})));
        tables.put("tables", new PgCatalogSchema.RowsTable(f -> f.builder()
                .add("table_catalog", SqlTypeName.VARCHAR).add("table_schema", SqlTypeName.VARCHAR).add("table_name", SqlTypeName.VARCHAR)
                .add("table_type", SqlTypeName.VARCHAR).add("is_insertable_into", SqlTypeName.VARCHAR).build(), this::tableRows));
        tables.put("columns", new PgCatalogSchema.RowsTable(f -> f.builder()
                .add("table_catalog", SqlTypeName.VARCHAR).add("table_schema", SqlTypeName.VARCHAR).add("table_name", SqlTypeName.VARCHAR)
                .add("column_name", SqlTypeName.VARCHAR).add("ordinal_position", SqlTypeName.INTEGER)
                .add("column_default", SqlTypeName.VARCHAR).nullable(true).add("is_nullable", SqlTypeName.VARCHAR)
                .add("data_type", SqlTypeName.VARCHAR).add("character_maximum_length", SqlTypeName.INTEGER).nullable(true)
                .add("numeric_precision", SqlTypeName.INTEGER).nullable(true).add("numeric_scale", SqlTypeName.INTEGER).nullable(true)
                .add("datetime_precision", SqlTypeName.INTEGER).nullable(true).add("udt_name", SqlTypeName.VARCHAR)
                .add("is_generated", SqlTypeName.VARCHAR).build(), this::columnRows));
        tables.put("table_constraints", new PgCatalogSchema.RowsTable(f -> f.builder()
                .add("constraint_catalog", SqlTypeName.VARCHAR).add("constraint_schema", SqlTypeName.VARCHAR)
                .add("constraint_name", SqlTypeName.VARCHAR).add("table_catalog", SqlTypeName.VARCHAR)
                .add("table_schema", SqlTypeName.VARCHAR).add("table_name", SqlTypeName.VARCHAR)
                .add("constraint_type", SqlTypeName.VARCHAR).add("is_deferrable", SqlTypeName.VARCHAR)
                .add("initially_deferred", SqlTypeName.VARCHAR).build(), this::constraintRows));
        tables.put("key_column_usage", new PgCatalogSchema.RowsTable(f -> f.builder()
                .add("constraint_catalog", SqlTypeName.VARCHAR).add("constraint_schema", SqlTypeName.VARCHAR)
                .add("constraint_name", SqlTypeName.VARCHAR).add("table_catalog", SqlTypeName.VARCHAR)
                .add("table_schema", SqlTypeName.VARCHAR).add("table_name", SqlTypeName.VARCHAR)
                .add("column_name", SqlTypeName.VARCHAR).add("ordinal_position", SqlTypeName.INTEGER)
                .add("position_in_unique_constraint", SqlTypeName.INTEGER).nullable(true).build(), this::keyColumnRows));
        return tables;
    }

    /** The name PostgreSQL gives a table's primary key. */
    static String primaryKeyName(CatalogObject object) {
        return object.name() + "_pkey";
    }

    /** The primary keys: Weir's only constraints (reference tables declare them). */
    private List<Object[]> constraintRows() {
        List<Object[]> rows = new ArrayList<>();
        for (CatalogObject object : PgCatalogSchema.RowsTable.visible(catalog)) {
            if (!object.primaryKey().isEmpty()) {
                rows.add(new Object[] {PgFunctions.DATABASE, WeirSchema.NAME, primaryKeyName(object), PgFunctions.DATABASE,
                        WeirSchema.NAME, object.name(), "PRIMARY KEY", "NO", "NO"});
            }
        }
        return rows;
    }

    private List<Object[]> keyColumnRows() {
        List<Object[]> rows = new ArrayList<>();
        for (CatalogObject object : PgCatalogSchema.RowsTable.visible(catalog)) {
            int position = 0;
            for (String key : object.primaryKey()) {
                // the column's name as declared, whatever the case the key was written in
                String column = object.columns().stream().map(ColumnDefinition::name).filter(key::equalsIgnoreCase).findFirst().orElse(key);
                rows.add(new Object[] {PgFunctions.DATABASE, WeirSchema.NAME, primaryKeyName(object), PgFunctions.DATABASE,
                        WeirSchema.NAME, object.name(), column, ++position, null});
            }
        }
        return rows;
    }

    private List<Object[]> tableRows() {
        List<Object[]> rows = new ArrayList<>();
        for (CatalogObject object : PgCatalogSchema.RowsTable.visible(catalog)) {
            String type = object.type() == ObjectType.VIEW || object.type() == ObjectType.MATERIALIZED_VIEW ? "VIEW" : "BASE TABLE";
            rows.add(new Object[] {PgFunctions.DATABASE, WeirSchema.NAME, object.name(), type, "NO"});
        }
        return rows;
    }

    private List<Object[]> columnRows() {
        List<Object[]> rows = new ArrayList<>();
        for (CatalogObject object : PgCatalogSchema.RowsTable.visible(catalog)) {
            int position = 0;
            for (ColumnDefinition column : object.columns()) {
                DataType type = column.type();
                int oid = PostgresTypes.oid(type);
                boolean text = type.kind() == TypeKind.CHAR || type.kind() == TypeKind.VARCHAR;
                rows.add(new Object[] {PgFunctions.DATABASE, WeirSchema.NAME, object.name(), column.name(), ++position, null,
                        type.nullable() && !object.isPrimaryKeyColumn(column.name()) ? "YES" : "NO",
                        PostgresTypes.format(oid, -1), text && type.precision() > 0 ? type.precision() : null,
                        type.kind().isNumeric() ? numericPrecision(type) : null, type.kind() == TypeKind.DECIMAL ? type.scale() : null,
                        type.kind() == TypeKind.TIMESTAMP || type.kind() == TypeKind.TIME ? Math.max(0, type.precision()) : null,
                        PostgresTypes.TYPES.stream().filter(t -> t.oid() == oid).findFirst().map(PostgresTypes.PgType::name).orElse("json"),
                        column.kind() == io.weir.sql.catalog.ColumnKind.COMPUTED ? "ALWAYS" : "NEVER"});
            }
        }
        return rows;
    }

    private static Integer numericPrecision(DataType type) {
        return switch (type.kind()) {
            case TINYINT, SMALLINT -> 16;
            case INTEGER -> 32;
            case BIGINT -> 64;
            case REAL -> 24;
            case DOUBLE -> 53;
            default -> type.precision() > 0 ? type.precision() : null;
        };
    }
}
