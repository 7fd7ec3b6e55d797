package io.weir.spi.connector;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Where one source of a persistent query stands at a checkpoint: what a sink that can commit source
 * positions atomically with its output (a Kafka transaction with the offsets of Kafka sources, as
 * Kafka Streams does) needs to do so.
 *
 * @param consumerId the source's consumer id in the query ({@link ConnectorContext#consumerId()})
 * @param options the stream's WITH options, {@code connector} among them
 * @param offsets the positions after every row the checkpoint covers
 */
public record SourcePosition(String consumerId, Map<String, String> options, SplitOffsets offsets) {
    public SourcePosition {
        requireNonNull(consumerId, "consumerId is null");
        options = Map.copyOf(requireNonNull(options, "options is null"));
        requireNonNull(offsets, "offsets is null");
    }
}
