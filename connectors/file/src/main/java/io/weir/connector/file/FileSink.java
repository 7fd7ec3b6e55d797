package io.weir.connector.file;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkWriter;

import io.weir.spi.format.FileFormat;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Writes rows as part files into one directory; each writer has its own files (named by its writer id). */
final class FileSink implements Sink {
    private final ConnectorContext context;
    private final FileSinkSettings settings;

    FileSink(ConnectorContext context, FileSinkSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public SinkWriter createWriter() {
        Optional<FileFormat> fileFormat = context.fileFormat();
        if (fileFormat.isPresent()) {
            return new FileFormatSinkWriter(context.describe(), settings, fileFormat.get(), context.clock(), partFiles());
        }
        return new FileSinkWriter(context.describe(), settings, context.createEncoder(), context.clock(), partFiles());
    }

    /**
     * Exactly-once needs the checkpoints of a persistent query, which gives its writer a stable id;
     * a writer without one (no checkpoints will commit its files) makes its files visible as they complete.
     */
    private PartFiles partFiles() {
        if (settings.guarantee() == DeliveryGuarantee.EXACTLY_ONCE && context.consumerId().isPresent()) {
            return new CheckpointedParts(settings.directory(), context.consumerId().get(), settings.extension(), context.describe());
        }
        return new ImmediateParts(settings.directory(), settings.extension(), context.describe());
    }
}
