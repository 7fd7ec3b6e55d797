package io.weir.connector.jdbc;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;

import static java.util.Objects.requireNonNull;

/** A table read as a whole: each reader runs one {@code SELECT} and finishes at its last row. */
final class JdbcSource implements Source {
    private final ConnectorContext context;
    private final JdbcSettings settings;

    JdbcSource(ConnectorContext context, JdbcSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    @Override
    public SourceReader createReader() {
        return new JdbcSourceReader(context, settings);
    }
}
