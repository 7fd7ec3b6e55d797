package io.weir.sql.catalog;

import io.weir.spi.type.DataType;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * One column of a stream or table as registered.
 *
 * @param expression for a computed column, its SQL expression as unparsed by Weir's parser
 * @param metadataKey for a metadata column, the key it reads (defaults to the column name)
 */
public record ColumnDefinition(String name, DataType type, ColumnKind kind, String expression,
                               String metadataKey, boolean virtual, String comment) {
    public ColumnDefinition {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(kind, "kind is null");
        if ((kind == ColumnKind.COMPUTED) != (expression != null)) {
            throw new IllegalArgumentException("computed columns, and only they, have an expression: " + name);
        }
    }

    public static ColumnDefinition physical(String name, DataType type, String comment) {
        return new ColumnDefinition(name, type, ColumnKind.PHYSICAL, null, null, false, comment);
    }

    public static ColumnDefinition computed(String name, DataType type, String expression, String comment) {
        return new ColumnDefinition(name, type, ColumnKind.COMPUTED, requireNonNull(expression, "expression is null"),
                null, false, comment);
    }

    public static ColumnDefinition metadata(String name, DataType type, String metadataKey, boolean virtual, String comment) {
        return new ColumnDefinition(name, type, ColumnKind.METADATA, null, metadataKey, virtual, comment);
    }

    public Optional<String> commentText() {
        return Optional.ofNullable(comment);
    }

    /** The metadata key this column reads: the declared key, or else the column name. */
    public String effectiveMetadataKey() {
        return metadataKey != null ? metadataKey : name;
    }
}
