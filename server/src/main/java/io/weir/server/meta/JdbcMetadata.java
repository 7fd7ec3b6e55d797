package io.weir.server.meta;

import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ColumnKind;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.schema.WeirSchema;
import io.weir.sql.udf.FunctionListing;
import io.weir.sql.udf.UserFunctions;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;

import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Answers the JDBC {@link DatabaseMetaData} calls BI tools make (DBeaver, Metabase, Tableau) from
 * the catalog. Weir has no catalogs (TABLE_CAT is null, like Calcite and Phoenix) and one schema,
 * {@value WeirSchema#NAME}. Streams and tables are both listed with table type {@code TABLE}, which
 * every tool shows; REMARKS tells a stream from a table.
 */
final class JdbcMetadata {
    static final String TABLE_TYPE = "TABLE";
    static final List<String> TABLE_TYPES = List.of("TABLE", "VIEW", "MATERIALIZED VIEW", "STREAM");

    private final Catalog catalog;
    private final UserFunctions functions;

    JdbcMetadata(Catalog catalog, UserFunctions functions) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.functions = requireNonNull(functions, "functions is null");
    }

    /** A metadata result: its columns and rows. */
    record MetaRows(List<ColumnMetaData> columns, List<Object[]> rows) {
    }

    MetaRows catalogs() {
        return new MetaRows(new MetaResultColumns().textNotNull("TABLE_CAT").build(), List.of());
    }

    MetaRows schemas(String catalogName, Meta.Pat schemaPattern) {
        List<Object[]> rows = new ArrayList<>();
        if (catalogName == null || catalogName.isEmpty()) {
            if (matches(schemaPattern, WeirSchema.NAME)) {
                rows.add(new Object[] {WeirSchema.NAME, null});
            }
        }
        return new MetaRows(new MetaResultColumns().textNotNull("TABLE_SCHEM").text("TABLE_CATALOG").build(), rows);
    }

    MetaRows tableTypes() {
        List<Object[]> rows = new ArrayList<>();
        for (String type : TABLE_TYPES) {
            rows.add(new Object[] {type});
        }
        return new MetaRows(new MetaResultColumns().textNotNull("TABLE_TYPE").build(), rows);
    }

    /** The objects matching, among those {@code visible} accepts (the ones the user may select). */
    MetaRows tables(String catalogName, Meta.Pat schemaPattern, Meta.Pat tablePattern, List<String> types,
                    Predicate<CatalogObject> visible) {
        List<ColumnMetaData> columns = new MetaResultColumns()
                .text("TABLE_CAT").text("TABLE_SCHEM").textNotNull("TABLE_NAME").textNotNull("TABLE_TYPE")
                .text("REMARKS").text("TYPE_CAT").text("TYPE_SCHEM").text("TYPE_NAME")
                .text("SELF_REFERENCING_COL_NAME").text("REF_GENERATION").build();
        List<Object[]> rows = new ArrayList<>();
        for (CatalogObject object : objects(catalogName, schemaPattern, tablePattern, visible)) {
            if (types != null && !types.isEmpty() && types.stream().noneMatch(type -> typeMatches(type, object))) {
                continue;
            }
            rows.add(new Object[] {null, WeirSchema.NAME, object.name(), tableType(object), remarks(object), null, null, null, null, null});
        }
        return new MetaRows(columns, rows);
    }

    private static boolean typeMatches(String requested, CatalogObject object) {
        String type = requested.trim().toUpperCase(Locale.ROOT);
        return type.equals(tableType(object)) || (type.equals("STREAM") && object.type() == ObjectType.STREAM)
                // a client that asks only for tables or views still finds materialized views
                || ((type.equals("VIEW") || type.equals(TABLE_TYPE)) && object.type() == ObjectType.MATERIALIZED_VIEW);
    }

    /** Streams and tables are TABLEs for BI tools (which hide unknown types such as STREAM); views are VIEWs. */
    static String tableType(CatalogObject object) {
        return switch (object.type()) {
            case VIEW -> "VIEW";
            case MATERIALIZED_VIEW -> "MATERIALIZED VIEW";
            default -> TABLE_TYPE;
        };
    }

    private static String remarks(CatalogObject object) {
        if (object.type() == ObjectType.VIEW) {
            return "View";
        }
        if (object.type() == ObjectType.MATERIALIZED_VIEW) {
            return "Materialized view, updated every micro-batch";
        }
        String kind = object.type() == ObjectType.STREAM ? "Stream" : "Reference table";
        String watermark = object.watermarkDefinition().map(w -> ", event time " + w.column()).orElse("");
        return kind + " (connector '" + object.connector() + "'" + watermark + ")";
    }

    MetaRows columns(String catalogName, Meta.Pat schemaPattern, Meta.Pat tablePattern, Meta.Pat columnPattern,
                     Predicate<CatalogObject> visible) {
        List<ColumnMetaData> columns = new MetaResultColumns()
                .text("TABLE_CAT").text("TABLE_SCHEM").textNotNull("TABLE_NAME").textNotNull("COLUMN_NAME")
                .add("DATA_TYPE", int.class, false).textNotNull("TYPE_NAME").add("COLUMN_SIZE", Integer.class, true)
                .add("BUFFER_LENGTH", Integer.class, true).add("DECIMAL_DIGITS", Integer.class, true)
                .add("NUM_PREC_RADIX", Integer.class, true).add("NULLABLE", int.class, false).text("REMARKS")
                .text("COLUMN_DEF").add("SQL_DATA_TYPE", Integer.class, true).add("SQL_DATETIME_SUB", Integer.class, true)
                .add("CHAR_OCTET_LENGTH", Integer.class, true).add("ORDINAL_POSITION", int.class, false)
                .textNotNull("IS_NULLABLE").text("SCOPE_CATALOG").text("SCOPE_SCHEMA").text("SCOPE_TABLE")
                .add("SOURCE_DATA_TYPE", Short.class, true).textNotNull("IS_AUTOINCREMENT").textNotNull("IS_GENERATEDCOLUMN")
                .build();
        List<Object[]> rows = new ArrayList<>();
        for (CatalogObject object : objects(catalogName, schemaPattern, tablePattern, visible)) {
            int ordinal = 0;
            for (ColumnDefinition column : object.columns()) {
                ordinal++;
                if (!matches(columnPattern, column.name())) {
                    continue;
                }
                DataType type = column.type();
                boolean characters = type.kind() == TypeKind.CHAR || type.kind() == TypeKind.VARCHAR;
                rows.add(new Object[] {null, WeirSchema.NAME, object.name(), column.name(),
                        type.kind().jdbcType(), type.withNullable(true).sqlString(), columnSize(type), null,
                        decimalDigits(type), type.kind().isNumeric() ? 10 : null,
                        type.nullable() ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
                        column.commentText().orElse(column.kind() == ColumnKind.COMPUTED ? "AS " + column.expression() : null),
                        null, null, null, characters ? columnSize(type) : null, ordinal,
                        type.nullable() ? "YES" : "NO", null, null, null, null, "NO",
                        column.kind() == ColumnKind.PHYSICAL ? "NO" : "YES"});
            }
        }
        return new MetaRows(columns, rows);
    }

    private static Integer columnSize(DataType type) {
        int size = type.columnSize();
        return size <= 0 ? null : size;
    }

    private static Integer decimalDigits(DataType type) {
        return switch (type.kind()) {
            case DECIMAL -> type.scale();
            case TINYINT, SMALLINT, INTEGER, BIGINT -> 0;
            case TIME, TIMESTAMP -> type.precision();
            default -> null;
        };
    }

    /** The functions matching, as {@link FunctionListing} lists them. */
    MetaRows functions(String catalogName, Meta.Pat schemaPattern, Meta.Pat namePattern) {
        List<ColumnMetaData> columns = new MetaResultColumns().text("FUNCTION_CAT").text("FUNCTION_SCHEM")
                .textNotNull("FUNCTION_NAME").text("REMARKS").add("FUNCTION_TYPE", short.class, false)
                .textNotNull("SPECIFIC_NAME").build();
        List<Object[]> rows = new ArrayList<>();
        if (catalogName == null || catalogName.isEmpty()) {
            for (Object[] row : FunctionListing.rows(functions)) {
                boolean schemaMatches = row[1] == null ? schemaPattern == null || schemaPattern.s == null
                        : matches(schemaPattern, (String) row[1]);
                if (schemaMatches && matches(namePattern, (String) row[2])) {
                    rows.add(row);
                }
            }
        }
        return new MetaRows(columns, rows);
    }

    MetaRows primaryKeys(String catalogName, String schema, String table, Predicate<CatalogObject> visible) {
        List<ColumnMetaData> columns = new MetaResultColumns()
                .text("TABLE_CAT").text("TABLE_SCHEM").textNotNull("TABLE_NAME").textNotNull("COLUMN_NAME")
                .add("KEY_SEQ", short.class, false).text("PK_NAME").build();
        List<Object[]> rows = new ArrayList<>();
        if (table != null && (catalogName == null || catalogName.isEmpty())
                && (schema == null || schema.equalsIgnoreCase(WeirSchema.NAME))) {
            catalog.get(table).filter(visible).ifPresent(object -> {
                short sequence = 0;
                for (String column : object.primaryKey()) {
                    rows.add(new Object[] {null, WeirSchema.NAME, object.name(), column, ++sequence, "PK_" + object.name()});
                }
            });
        }
        return new MetaRows(columns, rows);
    }

    MetaRows typeInfo() {
        List<ColumnMetaData> columns = new MetaResultColumns()
                .textNotNull("TYPE_NAME").add("DATA_TYPE", int.class, false).add("PRECISION", Integer.class, true)
                .text("LITERAL_PREFIX").text("LITERAL_SUFFIX").text("CREATE_PARAMS").add("NULLABLE", short.class, false)
                .add("CASE_SENSITIVE", boolean.class, false).add("SEARCHABLE", short.class, false)
                .add("UNSIGNED_ATTRIBUTE", boolean.class, false).add("FIXED_PREC_SCALE", boolean.class, false)
                .add("AUTO_INCREMENT", boolean.class, false).text("LOCAL_TYPE_NAME")
                .add("MINIMUM_SCALE", Short.class, true).add("MAXIMUM_SCALE", Short.class, true)
                .add("SQL_DATA_TYPE", Integer.class, true).add("SQL_DATETIME_SUB", Integer.class, true)
                .add("NUM_PREC_RADIX", Integer.class, true).build();
        List<Object[]> rows = new ArrayList<>();
        // Ordered by DATA_TYPE, as JDBC asks.
        List<TypeInfoRow> types = new ArrayList<>(List.of(
                new TypeInfoRow("BOOLEAN", Types.BOOLEAN, 1, null, null, false, null),
                new TypeInfoRow("TINYINT", Types.TINYINT, 3, null, null, true, 10),
                new TypeInfoRow("SMALLINT", Types.SMALLINT, 5, null, null, true, 10),
                new TypeInfoRow("INTEGER", Types.INTEGER, 10, null, null, true, 10),
                new TypeInfoRow("BIGINT", Types.BIGINT, 19, null, null, true, 10),
                new TypeInfoRow("REAL", Types.REAL, 7, null, null, true, 2),
                new TypeInfoRow("DOUBLE", Types.DOUBLE, 15, null, null, true, 2),
                new TypeInfoRow("DECIMAL", Types.DECIMAL, 38, null, "precision,scale", true, 10),
                new TypeInfoRow("CHAR", Types.CHAR, 65536, "'", "length", false, null),
                new TypeInfoRow("VARCHAR", Types.VARCHAR, 65536, "'", "length", false, null),
                new TypeInfoRow("DATE", Types.DATE, 10, "DATE '", null, false, null),
                new TypeInfoRow("TIME", Types.TIME, 12, "TIME '", "precision", false, null),
                new TypeInfoRow("TIMESTAMP", Types.TIMESTAMP, 23, "TIMESTAMP '", "precision", false, null),
                new TypeInfoRow("VARBINARY", Types.VARBINARY, 65536, "X'", "length", false, null),
                new TypeInfoRow("ARRAY", Types.ARRAY, null, null, null, false, null),
                new TypeInfoRow("MAP", Types.JAVA_OBJECT, null, null, null, false, null),
                new TypeInfoRow("ROW", Types.STRUCT, null, null, null, false, null)));
        types.sort((a, b) -> Integer.compare(a.dataType(), b.dataType()));
        for (TypeInfoRow type : types) {
            String suffix = type.literalPrefix() == null ? null : "'";
            boolean text = type.dataType() == Types.CHAR || type.dataType() == Types.VARCHAR;
            short searchable = (short) (text ? DatabaseMetaData.typeSearchable : DatabaseMetaData.typePredBasic);
            rows.add(new Object[] {type.name(), type.dataType(), type.precision(), type.literalPrefix(), suffix,
                    type.createParams(), (short) DatabaseMetaData.typeNullable, text, searchable, !type.numeric(), false, false,
                    type.name(), type.dataType() == Types.DECIMAL ? (Short) (short) 0 : null,
                    type.dataType() == Types.DECIMAL ? (Short) (short) 38 : null, null, null, type.radix()});
        }
        return new MetaRows(columns, rows);
    }

    private record TypeInfoRow(String name, int dataType, Integer precision, String literalPrefix, String createParams,
                               boolean numeric, Integer radix) {
    }

    private List<CatalogObject> objects(String catalogName, Meta.Pat schemaPattern, Meta.Pat tablePattern,
                                        Predicate<CatalogObject> visible) {
        if (catalogName != null && !catalogName.isEmpty()) {
            return List.of();
        }
        if (!matches(schemaPattern, WeirSchema.NAME)) {
            return List.of();
        }
        return catalog.list().stream().filter(object -> matches(tablePattern, object.name())).filter(visible).toList();
    }

    /** JDBC search patterns: % and _ wildcards, null or "%" for all; compared ignoring case. */
    static boolean matches(Meta.Pat pattern, String name) {
        if (pattern == null || pattern.s == null) {
            return true;
        }
        return toRegex(pattern.s).matcher(name).matches();
    }

    private static Pattern toRegex(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '%') {
                regex.append(".*");
            } else if (c == '_') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }
}
