package io.weir.sql.catalog;

/** Where a column's value comes from. */
public enum ColumnKind {
    /** Read from the source's records through its format. */
    PHYSICAL,
    /** Computed from other columns by an expression ({@code col AS expr}), e.g. {@code PROCTIME()}. */
    COMPUTED,
    /** Taken from the source's record metadata ({@code col TYPE METADATA FROM 'key'}). */
    METADATA
}
