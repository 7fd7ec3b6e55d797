package io.weir.sql.auth;

/**
 * What a user may be granted. Admins hold every privilege; on a server without users (authentication off)
 * everyone does.
 */
public enum Privilege {
    /** Read a stream, table or materialized view: push and pull queries, EXPLAIN, DESCRIBE, metadata. */
    SELECT,
    /** Write into a stream or table: {@code INSERT INTO} and {@code POST /ingest/<stream>}. */
    INSERT,
    /** Create and drop streams, tables and views, and start persistent queries ({@code INSERT INTO}). */
    CREATE,
    /** Use a connector that reaches outside the server (file, jdbc, webhook, socket, zeromq, flume, kinesis) in CREATE. */
    USAGE,
    /**
     * Read the server's metrics ({@code GET /metrics}), which name every query and stream: for a Prometheus
     * scraper's user, which need not be an admin.
     */
    METRICS
}
