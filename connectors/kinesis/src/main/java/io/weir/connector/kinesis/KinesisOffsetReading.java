package io.weir.connector.kinesis;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.OffsetReading;
import io.weir.spi.connector.SplitOffsets;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A Kinesis stream read by offsets for persistent queries: each query's consumer resumes from the positions it
 * committed ({@link PositionStore}) or its checkpoint holds, the shards a reshard made since from their start,
 * and one reader reads for all the queries of the stream.
 */
final class KinesisOffsetReading implements OffsetReading {
    private final ConnectorContext context;
    private final KinesisSettings settings;
    private final PositionStore positions;
    private final KinesisSource source;

    KinesisOffsetReading(ConnectorContext context, KinesisSettings settings, PositionStore positions, KinesisSource source) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.positions = requireNonNull(positions, "positions is null");
        this.source = requireNonNull(source, "source is null");
    }

    @Override
    public SplitOffsets startOffsets(String consumerId) {
        List<ShardInfo> shards = listShards();
        Map<String, Long> fresh = StreamShards.initial(shards, settings.startupMode(), settings.startTimestamp().orElse(0L),
                context.clock().millis());
        return SplitOffsets.of(StreamShards.resume(shards, positions.load(consumerId), fresh));
    }

    @Override
    public List<String> splits(String consumerId) {
        return listShards().stream().map(ShardInfo::id).toList();
    }

    private List<ShardInfo> listShards() {
        try (KinesisClient client = KinesisClients.create(settings)) {
            return StreamShards.list(client, settings.stream());
        } catch (ResourceNotFoundException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": Kinesis stream '" + settings.stream()
                    + "' does not exist; create it or fix the option 'stream'", e);
        } catch (SdkException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot list the shards of Kinesis stream '"
                    + settings.stream() + "' at " + settings.endpoint().map(Object::toString).orElse("region " + settings.region())
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public OffsetReader createReader(SplitOffsets start) {
        return source.reader(Optional.of(start));
    }

    @Override
    public void forget(String consumerId) {
        positions.forget(consumerId);
    }
}
