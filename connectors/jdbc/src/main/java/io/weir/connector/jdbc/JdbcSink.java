package io.weir.connector.jdbc;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkWriter;

import static java.util.Objects.requireNonNull;

/** Writes a persistent query's rows into one table, each writer over its own connection. */
final class JdbcSink implements Sink {
    private final ConnectorContext context;
    private final JdbcSettings settings;

    JdbcSink(ConnectorContext context, JdbcSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public SinkWriter createWriter() {
        return new JdbcSinkWriter(context, settings, Backoff.DEFAULT);
    }
}
