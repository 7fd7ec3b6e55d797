package io.weir.sql.statement;

import io.weir.spi.WeirException;
import io.weir.spi.connector.Connectors;
import io.weir.spi.format.Formats;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.sql.catalog.Catalog;
import io.weir.sql.catalog.CatalogObject;
import io.weir.sql.catalog.ColumnDefinition;
import io.weir.sql.catalog.ColumnKind;
import io.weir.sql.catalog.ObjectReference;
import io.weir.sql.catalog.ObjectType;
import io.weir.sql.catalog.OptionMasking;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** Answers SHOW STREAMS / SHOW TABLES and DESCRIBE from the catalog. */
public final class CatalogListing {
    private static final DataType TEXT = DataType.varchar();
    private static final DataType TEXT_NOT_NULL = DataType.varchar().withNullable(false);

    private final Catalog catalog;

    public CatalogListing(Catalog catalog) {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    public StatementResult.Rows show(ObjectType type, String likePattern) {
        return show(type, likePattern, object -> true);
    }

    /** The objects of {@code type} that {@code visible} accepts (those the user may select). */
    public StatementResult.Rows show(ObjectType type, String likePattern, java.util.function.Predicate<CatalogObject> visible) {
        Pattern like = likePattern == null ? null : likeToRegex(likePattern);
        List<Object[]> rows = new ArrayList<>();
        for (CatalogObject object : catalog.list(type)) {
            if (like != null && !like.matcher(object.name()).matches() || !visible.test(object)) {
                continue;
            }
            if (type == ObjectType.VIEW || type == ObjectType.MATERIALIZED_VIEW) {
                rows.add(new Object[] {object.name(), object.ddl()});
            } else if (type == ObjectType.STREAM) {
                rows.add(new Object[] {object.name(), object.connector(), effectiveFormat(object),
                        object.watermarkDefinition().map(w -> w.column() + " AS " + w.expression()).orElse(null)});
            } else {
                rows.add(new Object[] {object.name(), object.connector(), effectiveFormat(object),
                        object.primaryKey().isEmpty() ? null : String.join(", ", object.primaryKey())});
            }
        }
        if (type == ObjectType.VIEW || type == ObjectType.MATERIALIZED_VIEW) {
            return StatementResult.Rows.of(List.of(new ResultColumn("name", TEXT_NOT_NULL),
                    new ResultColumn("definition", TEXT)), rows);
        }
        List<ResultColumn> columns = type == ObjectType.STREAM
                ? List.of(new ResultColumn("name", TEXT_NOT_NULL), new ResultColumn("connector", TEXT),
                        new ResultColumn("format", TEXT), new ResultColumn("watermark", TEXT))
                : List.of(new ResultColumn("name", TEXT_NOT_NULL), new ResultColumn("connector", TEXT),
                        new ResultColumn("format", TEXT), new ResultColumn("primary_key", TEXT));
        return StatementResult.Rows.of(columns, rows);
    }

    /** Whether the object's connector or format declares the option {@code key} secret. */
    private static boolean declaredSecret(CatalogObject object, String key) {
        try {
            var connector = Connectors.find(object.connector());
            if (connector.options().stream().anyMatch(o -> o.secret() && o.matches(key))) {
                return true;
            }
            String format = effectiveFormat(object);
            return format != null && Formats.find(format).options().stream().anyMatch(o -> o.secret() && o.matches(key));
        } catch (WeirException e) {
            return false; // connector or format not installed: the name-based rule still applies
        }
    }

    /** The format the object is read with: as given, or its connector's default (null if none). */
    static String effectiveFormat(CatalogObject object) {
        String format = object.options().get("format");
        if (format != null) {
            return format;
        }
        try {
            return Connectors.find(object.connector()).usesFormat().defaultFormatName().orElse(null);
        } catch (WeirException e) {
            return null; // the connector is no longer installed; DESCRIBE and queries say so
        }
    }

    /**
     * One row per column (kind {@code column}), then the watermark, primary key, what a view depends on
     * and the options (secrets masked), so a single result shows everything DDL declared.
     */
    public StatementResult.Rows describe(CatalogObject object) {
        List<Object[]> rows = new ArrayList<>();
        for (ColumnDefinition column : object.columns()) {
            rows.add(new Object[] {"column", column.name(), column.type().withNullable(true).sqlString(),
                    column.type().nullable() ? "YES" : "NO", columnDetail(object, column)});
        }
        object.watermarkDefinition().ifPresent(watermark -> rows.add(new Object[] {"watermark", watermark.column(), null, null,
                watermark.expression()}));
        if (!object.primaryKey().isEmpty()) {
            rows.add(new Object[] {"primary key", String.join(", ", object.primaryKey()), null, null, null});
        }
        if (object.dependencies() != null) {
            for (ObjectReference dependency : object.dependencies()) {
                rows.add(new Object[] {"depends on", dependency.name(), dependency.type().displayName(), null,
                        catalog.resolve(dependency).isPresent() ? null : "dropped"});
            }
        }
        for (Map.Entry<String, String> option : OptionMasking.mask(object.options(), key -> declaredSecret(object, key)).entrySet()) {
            rows.add(new Object[] {"option", option.getKey(), null, null, option.getValue()});
        }
        return StatementResult.Rows.of(List.of(
                // Lengths only size the columns in clients such as sqlline.
                new ResultColumn("kind", DataType.varchar(11).withNullable(false)),
                new ResultColumn("name", TEXT_NOT_NULL),
                new ResultColumn("type", DataType.varchar(30)),
                new ResultColumn("nullable", DataType.varchar(3)),
                new ResultColumn("detail", TEXT)), rows);
    }

    private static String columnDetail(CatalogObject object, ColumnDefinition column) {
        List<String> details = new ArrayList<>();
        if (column.kind() == ColumnKind.COMPUTED) {
            details.add("AS " + column.expression());
        } else if (column.kind() == ColumnKind.METADATA) {
            details.add("METADATA FROM '" + column.effectiveMetadataKey() + "'" + (column.virtual() ? " VIRTUAL" : ""));
        }
        if (object.isPrimaryKeyColumn(column.name())) {
            details.add("PRIMARY KEY");
        }
        object.watermarkDefinition()
                .filter(w -> w.column().equalsIgnoreCase(column.name()))
                .ifPresent(w -> details.add("event time (WATERMARK AS " + w.expression() + ")"));
        if (column.kind() == ColumnKind.COMPUTED && column.type().kind() == TypeKind.TIMESTAMP
                && column.expression().toUpperCase(Locale.ROOT).replace(" ", "").equals("PROCTIME()")) {
            details.add("processing time");
        }
        column.commentText().ifPresent(comment -> details.add("COMMENT '" + comment + "'"));
        return details.isEmpty() ? null : String.join("; ", details);
    }

    /** SQL LIKE (with % and _) as a case-insensitive regex. */
    static Pattern likeToRegex(String like) {
        StringBuilder regex = new StringBuilder();
        for (char c : like.toCharArray()) {
            switch (c) {
                case '%' -> regex.append(".*");
                case '_' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    }
}
