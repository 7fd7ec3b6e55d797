package io.weir.spi.connector.ingest;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;

import static java.util.Objects.requireNonNull;

/** The records posted to one {@code http} stream, for one query. */
final class IngestSource implements Source {
    private final ConnectorContext context;
    private final IngestSettings settings;

    IngestSource(ConnectorContext context, IngestSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public boolean isBounded() {
        return false;
    }

    @Override
    public SourceReader createReader() {
        return new IngestSourceReader(context, IngestChannels.channel(context.objectName(), settings.bufferMaxRecords()),
                settings.startupMode());
    }
}
