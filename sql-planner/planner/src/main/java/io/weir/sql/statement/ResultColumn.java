package io.weir.sql.statement;

import io.weir.spi.type.DataType;

import static java.util.Objects.requireNonNull;

/** A column of a statement's result. */
public record ResultColumn(String name, DataType type) {
    public ResultColumn {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
    }
}
