package io.weir.connector.zeromq;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;

import static java.util.Objects.requireNonNull;

/** Messages from ZeroMQ publishers; never finishes. Each reader has its own ZeroMQ context and SUB socket. */
final class ZeroMqSource implements Source {
    private final ConnectorContext context;
    private final ZeroMqSettings settings;

    ZeroMqSource(ConnectorContext context, ZeroMqSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public boolean isBounded() {
        return false;
    }

    /** Rows arrive live on a subscription: a query joining later misses only what came before it started. */
    @Override
    public boolean startsAtLiveEnd() {
        return true;
    }

    @Override
    public SourceReader createReader() {
        return new ZeroMqSourceReader(context, settings);
    }
}
