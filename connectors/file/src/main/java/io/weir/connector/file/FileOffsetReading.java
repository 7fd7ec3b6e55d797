package io.weir.connector.file;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.SplitOffsets;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The files of a stream read by positions (see {@link FileSourceReader}): one split per file, named by
 * its absolute path, at the position of its next record. The source remembers no positions of its
 * own: a consumer without a checkpoint starts every file at its beginning, as a reader always did.
 */
final class FileOffsetReading implements OffsetReading {
    private final ConnectorContext context;
    private final FileSettings settings;

    FileOffsetReading(ConnectorContext context, FileSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** Every file now present, at 0; files arriving later in a watched directory are read from their beginning too. */
    @Override
    public SplitOffsets startOffsets(String consumerId) {
        Map<String, Long> offsets = new LinkedHashMap<>();
        for (Path file : new FileLister(settings, context.describe()).list()) {
            offsets.put(file.toString(), 0L);
        }
        return SplitOffsets.of(offsets);
    }

    @Override
    public OffsetReader createReader(SplitOffsets start) {
        return FileFormatSourceReader.create(context, settings, start, false);
    }

    @Override
    public boolean dividesSplits() {
        return !settings.watch();
    }

    /** The files of a bounded stream can be divided; a watched directory's new files could not be, so it is not. */
    @Override
    public Optional<OffsetReader> createSplitReader(SplitOffsets splits) {
        return settings.watch() ? Optional.empty() : Optional.of(FileFormatSourceReader.create(context, settings, splits, true));
    }
}
