package io.weir.connector.socket;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;

import static java.util.Objects.requireNonNull;

/** Lines from a TCP socket; never finishes. Each reader opens its own connection (or listening socket). */
final class SocketSource implements Source {
    private final ConnectorContext context;
    private final SocketSettings settings;

    SocketSource(ConnectorContext context, SocketSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public boolean isBounded() {
        return false;
    }

    /** Rows arrive live on a socket: a query joining later misses only what came before it started. */
    @Override
    public boolean startsAtLiveEnd() {
        return true;
    }

    @Override
    public SourceReader createReader() {
        return new SocketSourceReader(context, settings);
    }
}
