package io.weir.spi.connector;

/**
 * A configured sink for one stream declared as a sink target ({@code INSERT INTO s SELECT STREAM ...}).
 * Created by {@link ConnectorFactory#createSink} once per persistent query; cheap, no I/O until the
 * writer is used.
 */
public interface Sink {
    /** A writer for one running query; used by that query's thread only. */
    SinkWriter createWriter();
}
