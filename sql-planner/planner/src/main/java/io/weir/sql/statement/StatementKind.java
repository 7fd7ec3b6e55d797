package io.weir.sql.statement;

/** The kinds of statement Weir runs, as far as a client protocol cares. */
public enum StatementKind {
    /** A query returning rows (SELECT, SHOW, DESCRIBE, EXPLAIN). */
    QUERY(true),
    /** CREATE / DROP. */
    DDL(false),
    /** SET / RESET of session properties; {@code SET} alone lists them as rows. */
    SESSION(false);

    private final boolean producesRows;

    StatementKind(boolean producesRows) {
        this.producesRows = producesRows;
    }

    public boolean producesRows() {
        return producesRows;
    }
}
