package io.weir.engine.sink;

import io.weir.engine.plan.SinkSpec;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.error.RecordErrorHandler;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Turns a sink stream's {@link SinkSpec} into a writer of its connector. */
public final class SinkOpener {
    private final Path dataDir;
    private final InstantSource clock;
    private final ConnectorServices services;

    /** @param services what the server shares among its connectors, handed to each sink */
    public SinkOpener(Path dataDir, InstantSource clock, ConnectorServices services) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.services = requireNonNull(services, "services is null");
    }

    /**
     * A writer for one query; the connector connects lazily or here, as it chooses.
     *
     * @param writerId the stable id of the writing query and sink, the same after restarts (see
     *        {@link ConnectorContext#consumerId()}); empty for a query that does not persist
     */
    public SinkWriter open(SinkSpec spec, Optional<String> writerId) {
        ResolvedConnector resolved = ConnectorResolver.resolve(spec.options());
        ConnectorContext context = resolved.context(spec.objectName(), ObjectKind.STREAM, spec.schema(),
                RecordErrorHandler.failing(spec.objectName(), ObjectKind.STREAM),
                dataDir.resolve("connectors").resolve(spec.objectName().toLowerCase(Locale.ROOT)), clock)
                .withPrimaryKey(spec.primaryKey())
                .withReading(List.of(), writerId)
                .withServices(services);
        return new CountedSinkWriter(resolved.connector().createSink(context).createWriter(), context.sinkCounters());
    }
}
