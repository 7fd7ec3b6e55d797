package io.weir.spi.connector;

/** What a connector can do. */
public enum Capability {
    /** Backs {@code CREATE STREAM}: rows arrive over time, readers are polled. */
    STREAM_SOURCE,
    /** Backs {@code CREATE TABLE}: a bounded source read as a whole. */
    TABLE_SOURCE,
    /** Receives a persistent query's rows: {@code INSERT INTO} a stream declared with this connector. */
    SINK
}
