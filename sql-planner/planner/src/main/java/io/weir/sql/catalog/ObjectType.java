package io.weir.sql.catalog;

/** What a catalog object is, as shown in SHOW/DESCRIBE and JDBC metadata REMARKS. */
public enum ObjectType {
    /** An unbounded (or bounded, replayable) source of events with event or processing time. */
    STREAM("stream"),
    /** A bounded reference table, for lookups and enrichment. */
    TABLE("table"),
    /** A named query over streams and tables, expanded where it is used; {@code ddl} holds its CREATE VIEW. */
    VIEW("view"),
    /** A query kept running with its result stored and queryable; {@code ddl} holds its CREATE MATERIALIZED VIEW. */
    MATERIALIZED_VIEW("materialized view");

    private final String displayName;

    ObjectType(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }

    /** The display name capitalized, for the start of messages: {@code Materialized view}. */
    public String capitalizedName() {
        return Character.toUpperCase(displayName.charAt(0)) + displayName.substring(1);
    }

    /** The keywords in SQL statements: {@code DROP MATERIALIZED VIEW}, {@code SHOW MATERIALIZED VIEWS}. */
    public String sqlName() {
        return displayName.toUpperCase(java.util.Locale.ROOT);
    }
}
