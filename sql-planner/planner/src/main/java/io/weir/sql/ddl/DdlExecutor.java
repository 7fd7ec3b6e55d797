package io.weir.sql.ddl;

import io.weir.spi.ErrorCode;
import io.weir.spi.SqlPosition;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.connector.MetadataColumn;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ColumnKind;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.catalog.WatermarkDefinition;
import io.weir.sql.parser.ddl.SqlColumnDeclaration;
import io.weir.sql.parser.ddl.SqlComputedColumn;
import io.weir.sql.parser.ddl.SqlCreateStream;
import io.weir.sql.parser.ddl.SqlCreateTableLike;
import io.weir.sql.parser.ddl.SqlMetadataColumn;
import io.weir.sql.parser.ddl.SqlOption;
import io.weir.sql.parser.ddl.SqlPrimaryKey;
import io.weir.sql.parser.ddl.SqlTableColumn;
import io.weir.sql.parser.ddl.SqlWatermark;
import io.weir.sql.schema.WeirSchema;
import io.weir.sql.statement.SqlErrors;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlIntervalLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.parser.SqlParserUtil;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Turns {@code CREATE STREAM} and {@code CREATE TABLE} into catalog objects: resolves column
 * types, validates computed columns, the watermark and the primary key, and checks the WITH options
 * with the connector and format before anything is registered. Errors point at the offending
 * column or option.
 */
public final class DdlExecutor {
    private final Catalog catalog;
    private final SchemaPlus rootSchema;
    private final Path dataDir;
    /** The server's services for connectors, so that a connector checks its options as the server will run it (e.g. its file roots). */
    private final ConnectorServices connectorServices;

    public DdlExecutor(Catalog catalog, SchemaPlus rootSchema, Path dataDir, ConnectorServices connectorServices) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.rootSchema = requireNonNull(rootSchema, "rootSchema is null");
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.connectorServices = requireNonNull(connectorServices, "connectorServices is null");
    }

    /** @return the object to register (not yet registered) */
    public CatalogObject toCatalogObject(SqlCreateTableLike create, String ddlText) {
        ObjectType type = create instanceof SqlCreateStream ? ObjectType.STREAM : ObjectType.TABLE;
        String name = objectName(create.name());
        List<ColumnDefinition> columns = columns(create, type);
        WatermarkDefinition watermark = create.watermark().map(w -> watermark(w, columns, type)).orElse(null);
        List<String> primaryKey = create.primaryKey().map(pk -> primaryKey(pk, columns, type)).orElse(List.of());
        List<ColumnDefinition> finalColumns = primaryKey.isEmpty() ? columns : withKeyNotNull(columns, primaryKey);
        Map<String, String> options = options(create.options());
        CatalogObject object = new CatalogObject(name, type, finalColumns, watermark, primaryKey, options, ddlText, Instant.now());
        validateConnector(object, create);
        return object;
    }

    public static String objectName(SqlIdentifier identifier) {
        List<String> names = identifier.names;
        if (names.size() == 2 && names.get(0).equalsIgnoreCase(WeirSchema.NAME)) {
            return names.get(1);
        }
        if (names.size() != 1) {
            throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(identifier.getParserPosition()),
                    "Invalid name '" + identifier + "': objects live in schema '" + WeirSchema.NAME + "'; use a simple name");
        }
        return names.get(0);
    }

    private List<ColumnDefinition> columns(SqlCreateTableLike create, ObjectType type) {
        DdlTypes types = new DdlTypes(rootSchema);
        List<ColumnDefinition> columns = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<SqlComputedColumn> computed = new ArrayList<>();
        for (SqlTableColumn column : create.columns()) {
            String columnName = column.name().getSimple();
            if (!seen.add(columnName.toLowerCase(Locale.ROOT))) {
                throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(column.name().getParserPosition()),
                        "Duplicate column '" + columnName + "' (column names are compared ignoring case)");
            }
            String comment = column.comment().orElse(null);
            if (column instanceof SqlColumnDeclaration declaration) {
                columns.add(ColumnDefinition.physical(columnName,
                        types.resolve(declaration.type(), !declaration.notNull(), columnName), comment));
            } else if (column instanceof SqlMetadataColumn metadata) {
                columns.add(ColumnDefinition.metadata(columnName, types.resolve(metadata.type(), true, columnName),
                        metadata.metadataKey().orElse(null), metadata.virtual(), comment));
            } else if (column instanceof SqlComputedColumn computedColumn) {
                computed.add(computedColumn);
                columns.add(null); // placeholder keeps the declared order; typed below
            }
        }
        if (columns.stream().noneMatch(c -> c != null && c.kind() == ColumnKind.PHYSICAL)) {
            throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(create.getParserPosition()),
                    "A " + type.displayName() + " needs at least one physical column (name and type)");
        }
        // Computed columns see the physical and metadata columns (not each other, as in Flink).
        List<DataType.Field> base = new ArrayList<>();
        for (ColumnDefinition column : columns) {
            if (column != null) {
                base.add(new DataType.Field(column.name(), column.type()));
            }
        }
        ExpressionTyper typer = new ExpressionTyper(base);
        int next = 0;
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i) == null) {
                SqlComputedColumn column = computed.get(next++);
                String columnName = column.name().getSimple();
                columns.set(i, computedColumn(typer, column, columnName, type));
            }
        }
        return columns;
    }

    private static ColumnDefinition computedColumn(ExpressionTyper typer, SqlComputedColumn column, String columnName,
                                                   ObjectType type) {
        SqlNode expression = column.expression();
        String comment = column.comment().orElse(null);
        if (isProcTime(expression)) {
            if (type != ObjectType.STREAM) {
                throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(expression.getParserPosition()),
                        "PROCTIME() columns give streams processing time; a reference table cannot have one");
            }
            return ColumnDefinition.computed(columnName, DataType.timestamp(3).withNullable(false), "PROCTIME()", comment);
        }
        DataType dataType = typer.type(expression, "computed column '" + columnName + "'");
        return ColumnDefinition.computed(columnName, dataType, ExpressionTyper.unparse(expression), comment);
    }

    private static boolean isProcTime(SqlNode expression) {
        return expression instanceof SqlCall call
                && call.getOperator().getName().equalsIgnoreCase("PROCTIME")
                && call.operandCount() == 0;
    }

    private static WatermarkDefinition watermark(SqlWatermark watermark, List<ColumnDefinition> columns, ObjectType type) {
        SqlPosition position = SqlErrors.position(watermark.getParserPosition());
        if (type != ObjectType.STREAM) {
            throw new WeirException(ErrorCode.INVALID_DDL, position,
                    "Only streams have watermarks; remove the WATERMARK clause from this table or create a STREAM");
        }
        String columnName = watermark.column().getSimple();
        ColumnDefinition column = columns.stream().filter(c -> c.name().equalsIgnoreCase(columnName)).findFirst()
                .orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_COLUMN, SqlErrors.position(watermark.column().getParserPosition()),
                        "WATERMARK FOR '" + columnName + "': there is no such column"));
        if (column.type().kind() != TypeKind.TIMESTAMP) {
            throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(watermark.column().getParserPosition()),
                    "WATERMARK FOR '" + column.name() + "': the event-time column must be a TIMESTAMP, not " + column.type());
        }
        if (column.kind() == ColumnKind.COMPUTED && column.expression().equals("PROCTIME()")) {
            throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(watermark.column().getParserPosition()),
                    "'" + column.name() + "' is a processing-time column: it needs no watermark");
        }
        Duration delay = watermarkDelay(watermark.expression(), column.name());
        return new WatermarkDefinition(column.name(), ExpressionTyper.unparse(watermark.expression()), delay);
    }

    /** Accepts {@code col} and {@code col - INTERVAL 'n' unit}: a watermark trailing the event time by a fixed delay. */
    private static Duration watermarkDelay(SqlNode expression, String column) {
        if (expression instanceof SqlIdentifier identifier && sameColumn(identifier, column)) {
            return Duration.ZERO;
        }
        if (expression instanceof SqlBasicCall call && call.getKind() == SqlKind.MINUS && call.operandCount() == 2
                && call.operand(0) instanceof SqlIdentifier identifier && sameColumn(identifier, column)
                && call.operand(1) instanceof SqlIntervalLiteral interval) {
            SqlIntervalLiteral.IntervalValue value = interval.getValueAs(SqlIntervalLiteral.IntervalValue.class);
            long millis = SqlParserUtil.intervalToMillis(value);
            if (millis < 0) {
                throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(interval.getParserPosition()),
                        "The watermark delay must not be negative");
            }
            if (value.getIntervalQualifier().isYearMonth()) {
                throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(interval.getParserPosition()),
                        "The watermark delay must be a day-time interval such as INTERVAL '5' SECOND");
            }
            return Duration.ofMillis(millis);
        }
        throw new WeirException(ErrorCode.NOT_SUPPORTED, SqlErrors.position(expression.getParserPosition()),
                "Unsupported watermark expression: write WATERMARK FOR " + column + " AS " + column
                        + " - INTERVAL 'n' unit (a fixed delay for out-of-order events), or AS " + column + " for none");
    }

    private static boolean sameColumn(SqlIdentifier identifier, String column) {
        return identifier.isSimple() && identifier.getSimple().equalsIgnoreCase(column);
    }

    private static List<String> primaryKey(SqlPrimaryKey primaryKey, List<ColumnDefinition> columns, ObjectType type) {
        if (type != ObjectType.TABLE) {
            throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(primaryKey.getParserPosition()),
                    "PRIMARY KEY is for reference tables (CREATE TABLE); a stream has no key");
        }
        List<String> key = new ArrayList<>();
        for (SqlIdentifier identifier : primaryKey.columns()) {
            String name = identifier.getSimple();
            ColumnDefinition column = columns.stream().filter(c -> c.name().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new WeirException(ErrorCode.UNKNOWN_COLUMN, SqlErrors.position(identifier.getParserPosition()),
                            "PRIMARY KEY column '" + name + "' is not a column of the table"));
            if (column.kind() != ColumnKind.PHYSICAL) {
                throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(identifier.getParserPosition()),
                        "PRIMARY KEY column '" + name + "' must be a physical column");
            }
            if (key.stream().anyMatch(k -> k.equalsIgnoreCase(name))) {
                throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(identifier.getParserPosition()),
                        "PRIMARY KEY lists '" + name + "' twice");
            }
            key.add(column.name());
        }
        return key;
    }

    private static List<ColumnDefinition> withKeyNotNull(List<ColumnDefinition> columns, List<String> primaryKey) {
        List<ColumnDefinition> result = new ArrayList<>();
        for (ColumnDefinition column : columns) {
            boolean key = primaryKey.stream().anyMatch(k -> k.equalsIgnoreCase(column.name()));
            result.add(key && column.type().nullable()
                    ? new ColumnDefinition(column.name(), column.type().withNullable(false), column.kind(), column.expression(),
                    column.metadataKey(), column.virtual(), column.comment())
                    : column);
        }
        return result;
    }

    private static Map<String, String> options(List<SqlOption> sqlOptions) {
        Map<String, String> options = new LinkedHashMap<>();
        for (SqlOption option : sqlOptions) {
            String key = option.key().trim().toLowerCase(Locale.ROOT);
            if (options.put(key, option.value()) != null) {
                throw new WeirException(ErrorCode.INVALID_DDL, SqlErrors.position(option.keyPosition()),
                        "Option '" + option.key() + "' is given twice");
            }
        }
        return options;
    }

    private void validateConnector(CatalogObject object, SqlCreateTableLike create) {
        ObjectKind kind = object.type() == ObjectType.STREAM ? ObjectKind.STREAM : ObjectKind.TABLE;
        try {
            if (object.options().isEmpty()) {
                throw new WeirException(ErrorCode.MISSING_OPTION, "Missing WITH ('connector' = '...', ...): every "
                        + object.type().displayName() + " needs a connector, e.g. WITH ('connector' = 'file', 'path' = '...', 'format' = 'json')");
            }
            ResolvedConnector resolved = ConnectorResolver.resolve(object.options());
            Map<String, DataType> available = resolved.connector().metadata();
            for (MetadataColumn metadata : object.metadataColumns()) {
                if (available.isEmpty()) {
                    throw new WeirException(ErrorCode.NOT_SUPPORTED, "Column '" + metadata.name() + "': connector '"
                            + resolved.connector().name() + "' provides no record metadata; remove the METADATA column");
                }
                if (!resolved.connector().providesMetadata(metadata.key())) {
                    throw new WeirException(ErrorCode.VALIDATION_ERROR, "Column '" + metadata.name() + "': connector '"
                            + resolved.connector().name() + "' has no metadata '" + metadata.key() + "'; it provides "
                            + available.keySet().stream().sorted().map(k -> "'" + k + "'").collect(Collectors.joining(", ")));
                }
            }
            resolved.validate(resolved.context(object.name(), kind, object.physicalSchema(),
                    RecordErrorHandler.failing(object.name(), kind),
                    dataDir.resolve("connectors").resolve(object.name().toLowerCase(Locale.ROOT)), InstantSource.system())
                    .withReading(object.metadataColumns(), Optional.empty())
                    .withPrimaryKey(object.primaryKey())
                    .withServices(connectorServices));
        } catch (WeirException e) {
            if (e.position().isPresent()) {
                throw e;
            }
            throw new WeirException(e.errorCode(), positionOfOptionIn(e.rawMessage(), create), e.rawMessage(), e);
        }
    }

    /** Points an option error at the option it names, or else at the WITH clause's statement. */
    private static SqlPosition positionOfOptionIn(String message, SqlCreateTableLike create) {
        for (SqlOption option : create.options()) {
            if (message.contains("'" + option.key() + "'") || message.toLowerCase(Locale.ROOT).contains("'" + option.key().toLowerCase(Locale.ROOT) + "'")) {
                return SqlErrors.position(option.keyPosition());
            }
        }
        SqlParserPos pos = create.getParserPosition();
        return SqlErrors.position(pos);
    }

    /** Whether the catalog already has {@code name}; for IF NOT EXISTS short-cuts. */
    public boolean exists(String name) {
        return catalog.get(name).isPresent();
    }
}
