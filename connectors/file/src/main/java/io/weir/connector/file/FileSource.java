package io.weir.connector.file;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.SplitOffsets;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The files of one stream or table; bounded unless watched. Readable by positions (a split per file),
 * so that a persistent query restarts each file where its checkpoint says.
 */
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
        return FileFormatSourceReader.create(context, settings, SplitOffsets.of(java.util.Map.of()), false);
    }

    /** A persistent query resumes from the positions of its checkpoint, given to {@link FileOffsetReading#createReader}. */
    @Override
    public boolean resumes() {
        return true;
    }

    @Override
    public Optional<OffsetReading> offsetReading() {
        return Optional.of(new FileOffsetReading(context, settings));
    }

    /** The files of a bounded stream can be divided between tasks; a watched directory's later files could not be. */
    @Override
    public Optional<OffsetReading> splitReading() {
        return settings.watch() ? Optional.empty() : offsetReading();
    }
}
