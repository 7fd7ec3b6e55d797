package io.weir.sql.statement;

import java.util.Iterator;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** What a statement produced: an update count (DDL, SET) or rows. */
public sealed interface StatementResult {

    /** A statement without rows; {@code message} says what happened, for logs and clients that show it. */
    record UpdateCount(long count, String message) implements StatementResult {
        public UpdateCount {
            requireNonNull(message, "message is null");
        }
    }

    /**
     * Rows, in Weir's value representation (see {@link io.weir.spi.type.TypeKind}). The iterator may
     * be lazy; {@code close} frees what reading holds (files, readers) and is idempotent.
     */
    record Rows(List<ResultColumn> columns, Iterator<Object[]> rows, AutoCloseable resources) implements StatementResult {
        public Rows {
            columns = List.copyOf(columns);
            requireNonNull(rows, "rows is null");
            requireNonNull(resources, "resources is null");
        }

        public static Rows of(List<ResultColumn> columns, List<Object[]> rows) {
            return new Rows(columns, List.copyOf(rows).iterator(), () -> { });
        }
    }
}
