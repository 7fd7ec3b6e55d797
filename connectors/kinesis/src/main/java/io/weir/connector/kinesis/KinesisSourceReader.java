package io.weir.connector.kinesis;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.Projection;
import software.amazon.awssdk.services.kinesis.model.Record;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Decodes the records a {@link ShardFetcher} fetched, on the engine's thread: the data blob by the format, then
 * the metadata columns. Each shard is a split named by its shard id (ids in the order the fetcher discovered the
 * shards; the children of a reshard are added when their parents finish) and every row carries its record's
 * offset ({@link ShardOffsets}), so the reader can be read by offsets and checkpointed.
 */
final class KinesisSourceReader implements OffsetReader {
    private final ConnectorContext context;
    private final String stream;
    private final ShardFetcher fetcher;
    private final RecordErrorHandler errors;
    private final List<KinesisMetadata.Filler> metadata;
    private final int metadataStart;
    private RecordDecoder decoder;
    /** Per shard in split order: the offset after the last record handled, or where it starts. */
    private final Map<String, Long> offsets = new LinkedHashMap<>();
    private final Map<String, Integer> splitIds = new HashMap<>();
    private final List<Split> splits = new ArrayList<>();
    private String shard;
    private int split;
    private List<Record> records = List.of();
    private int recordIndex;
    private RuntimeException failure;
    private boolean known;
    private boolean started;
    private boolean closed;

    KinesisSourceReader(ConnectorContext context, String stream, ShardFetcher fetcher, SplitOffsets start) {
        this.context = requireNonNull(context, "context is null");
        this.stream = requireNonNull(stream, "stream is null");
        this.fetcher = requireNonNull(fetcher, "fetcher is null");
        this.errors = context.errorHandler();
        this.metadata = KinesisMetadata.fillers(context);
        this.metadataStart = context.schema().size();
        this.decoder = context.createDecoder();
        offsets.putAll(requireNonNull(start, "start is null").offsets());
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        if (failure != null) {
            throw failure;
        }
        if (!started) {
            started = true;
            fetcher.start();
        }
        int added = 0;
        long examined = 0;
        long examinedLimit = maxRows * 4L + 1024;
        try {
            while (added < maxRows && examined < examinedLimit) {
                if (recordIndex < records.size()) {
                    Record record = records.get(recordIndex);
                    examined++;
                    if (decodeRow(record, out)) {
                        added++;
                    }
                    // after the record was handled: a record whose 'fail' policy threw is read again after a restart
                    recordIndex++;
                    offsets.put(shard, ShardOffsets.recordOffset(record.sequenceNumber()) + 1);
                    continue;
                }
                ShardEvent event = fetcher.next();
                if (event == null) {
                    break;
                }
                if (event instanceof ShardEvent.Failed failed) {
                    failure = failed.error();
                    if (added == 0) {
                        throw failure;
                    }
                    break;
                }
                apply(event);
            }
            if (recordIndex >= records.size()) {
                ShardEvent next;
                while ((next = fetcher.peek()) instanceof ShardEvent.Finished || next instanceof ShardEvent.Discovered) {
                    apply(fetcher.next());
                }
            }
        } finally {
            errors.recordsRead(added);
        }
        return added;
    }

    private void apply(ShardEvent event) {
        if (event instanceof ShardEvent.Discovered discovered) {
            known = true;
            discovered.shards().forEach((id, offset) -> {
                if (!splitIds.containsKey(id)) {
                    int splitId = splits.size();
                    splitIds.put(id, splitId);
                    splits.add(new Split(splitId, id, offset == ShardOffsets.FINISHED));
                }
                offsets.putIfAbsent(id, offset);
            });
        } else if (event instanceof ShardEvent.Fetched fetched) {
            shard = fetched.shardId();
            split = splitIds.get(shard);
            records = fetched.records();
            recordIndex = 0;
        } else if (event instanceof ShardEvent.Finished finished) {
            int id = splitIds.get(finished.shardId());
            splits.set(id, new Split(id, finished.shardId(), true));
            offsets.put(finished.shardId(), ShardOffsets.FINISHED);
        } else if (event instanceof ShardEvent.Failed failed) {
            throw failed.error();
        }
    }

    private boolean decodeRow(Record record, BatchBuilder out) {
        byte[] data = record.data().asByteArrayUnsafe();
        errors.bytesRead(data.length);
        try {
            if (!decoder.decode(data, 0, data.length, out)) {
                return false;
            }
            for (int i = 0; i < metadata.size(); i++) {
                KinesisMetadata.Filler filler = metadata.get(i);
                try {
                    out.set(metadataStart + i, filler.value(record, shard));
                } catch (ConversionException e) {
                    throw new RecordDecodeException("metadata column '" + filler.column().name() + "': " + e.getMessage(), e);
                }
            }
            out.setSplit(split);
            out.setOffset(ShardOffsets.recordOffset(record.sequenceNumber()));
            out.commitRow();
            return true;
        } catch (RecordDecodeException e) {
            out.abortRow();
            errors.handle("kinesis stream '" + stream + "' shard " + shard + " sequence number " + record.sequenceNumber(),
                    data, e.reason());
            return false;
        }
    }

    @Override
    public List<Split> splits() {
        return List.copyOf(splits);
    }

    @Override
    public boolean splitsKnown() {
        return known || failure != null;
    }

    @Override
    public boolean isFinished() {
        return false;
    }

    /** The decoder keeps nothing between records: a wider one takes over at the next record. */
    @Override
    public boolean widenProjection(Projection projection) {
        decoder = context.withProjection(projection).createDecoder();
        return true;
    }

    @Override
    public SplitOffsets offsets() {
        return SplitOffsets.of(offsets);
    }

    @Override
    public void commit(String consumerId, SplitOffsets offsets) {
        if (!closed) {
            fetcher.requestCommit(consumerId, offsets);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        records = List.of();
        fetcher.close();
    }
}
