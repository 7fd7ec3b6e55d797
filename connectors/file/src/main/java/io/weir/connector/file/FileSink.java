package io.weir.connector.file;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkWriter;

import static java.util.Objects.requireNonNull;

/** Writes rows as part files into one directory; each writer has its own files. */
final class FileSink implements Sink {
    private final ConnectorContext context;
    private final FileSinkSettings settings;

    FileSink(ConnectorContext context, FileSinkSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public SinkWriter createWriter() {
        return new FileSinkWriter(context.describe(), settings, context.createEncoder(), context.clock());
    }
}
