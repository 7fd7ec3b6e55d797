package io.weir.connector.kinesis;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.Source;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.SplitOffsets;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The shards of one Kinesis stream; never bounded. Persistent queries read it by offsets and resume. */
final class KinesisSource implements Source {
    private final ConnectorContext context;
    private final KinesisSettings settings;
    private final PositionStore positions;

    KinesisSource(ConnectorContext context, KinesisSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.positions = new PositionStore(context.dataDirectory().resolve("kinesis-positions"));
    }

    @Override
    public boolean isBounded() {
        return false;
    }

    /** A reader where 'scan.startup.mode' says (a push query, or a persistent one reading alone). */
    @Override
    public SourceReader createReader() {
        return reader(Optional.empty());
    }

    KinesisSourceReader reader(Optional<SplitOffsets> start) {
        ShardFetcher fetcher = new ShardFetcher(settings, context.describe(), () -> KinesisClients.create(settings), start,
                context.clock(), Backoff.standard(), positions);
        return new KinesisSourceReader(context, settings.stream(), fetcher, start.orElse(SplitOffsets.of(Map.of())));
    }

    @Override
    public boolean startsAtLiveEnd() {
        return settings.startupMode() == StartupMode.LATEST;
    }

    @Override
    public boolean resumes() {
        return true;
    }

    @Override
    public Optional<OffsetReading> offsetReading() {
        return Optional.of(new KinesisOffsetReading(context, settings, positions, this));
    }
}
