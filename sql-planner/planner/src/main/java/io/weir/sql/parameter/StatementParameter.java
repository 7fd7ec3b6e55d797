package io.weir.sql.parameter;

import io.weir.spi.type.DataType;

import static java.util.Objects.requireNonNull;

/**
 * One {@code ?} of a prepared statement, with the type Calcite inferred from where it stands
 * ({@code WHERE amount > ?} takes the type of {@code amount}).
 *
 * @param type what a client binds, as Weir's type (always nullable: NULL may be bound)
 * @param castType the type as written in a CAST, for a value written into the statement's text
 *        (TIMESTAMP WITH LOCAL TIME ZONE is a TIMESTAMP to clients but keeps its own name here)
 */
public record StatementParameter(DataType type, String castType) {
    public StatementParameter {
        requireNonNull(type, "type is null");
        requireNonNull(castType, "castType is null");
        type = type.withNullable(true);
    }

    /** A parameter of {@code type}, cast to it as Weir writes the type. */
    public static StatementParameter of(DataType type) {
        return new StatementParameter(type, type.withNullable(true).sqlString());
    }
}
