package io.weir.engine.source;

import io.weir.engine.plan.SourceSpec;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.connector.Source;
import io.weir.spi.error.DeadLetterSink;
import io.weir.spi.error.ErrorPolicy;
import io.weir.spi.error.RecordErrorHandler;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Turns a stream's {@link SourceSpec} into a connector {@link Source}: resolves its options again,
 * and wires its {@code 'on-error'} policy to the shared statistics and dead-letter store.
 */
public final class SourceOpener {
    private final Path dataDir;
    private final SourceStatistics statistics;
    private final DeadLetterSink deadLetters;
    private final InstantSource clock;
    private final ConnectorServices services;

    /** @param services what the server shares among its connectors, handed to each source */
    public SourceOpener(Path dataDir, SourceStatistics statistics, DeadLetterSink deadLetters, InstantSource clock,
                        ConnectorServices services) {
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.statistics = requireNonNull(statistics, "statistics is null");
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.services = requireNonNull(services, "services is null");
    }

    /** The connector's source for the stream, for a query that does not resume; cheap, no I/O. */
    public Source source(SourceSpec spec) {
        return source(spec, Optional.empty());
    }

    /**
     * The connector's source for the stream; cheap, no I/O.
     *
     * @param consumerId for a persistent query, the stable id under which the source resumes from
     *        what its reader last committed (see {@link io.weir.spi.connector.ConnectorContext#consumerId()})
     */
    public Source source(SourceSpec spec, Optional<String> consumerId) {
        ResolvedConnector resolved = ConnectorResolver.resolve(spec.options());
        ErrorPolicy policy = resolved.errorPolicy();
        RecordErrorHandler errors = new RecordErrorHandler(spec.objectName(), spec.kind(), policy,
                policy == ErrorPolicy.DEAD_LETTER ? deadLetters : null, statistics.counters(spec.objectName()), clock);
        ConnectorContext context = resolved.context(spec.objectName(), spec.kind(), spec.physicalSchema(), errors,
                dataDir.resolve("connectors").resolve(spec.objectName().toLowerCase(Locale.ROOT)), clock)
                .withReading(spec.metadataColumns(), consumerId)
                .withServices(services)
                .withProjection(spec.projection());
        return resolved.connector().createSource(context);
    }
}
