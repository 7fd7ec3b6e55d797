package io.weir.connector.file;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;

import static java.util.Objects.requireNonNull;

/** The files of one stream or table; bounded unless watched. */
final class FileSource implements Source {
    private final ConnectorContext context;
    private final FileSettings settings;

    FileSource(ConnectorContext context, FileSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public boolean isBounded() {
        return !settings.watch();
    }

    @Override
    public SourceReader createReader() {
        return new FileSourceReader(context, settings);
    }
}
