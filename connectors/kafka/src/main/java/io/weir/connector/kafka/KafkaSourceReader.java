package io.weir.connector.kafka;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.connector.Split;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the records a {@link KafkaFetcher} fetched, on the engine's thread. Each topic-partition is
 * a split (ids in the fetcher's partition order, names {@code topic-partition}); the splits are known
 * once the fetcher has resolved the topics, shortly after the first poll. Records without a value
 * (tombstones) carry no row and are passed over.
 */
final class KafkaSourceReader implements SourceReader {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceReader.class);

    private final ConnectorContext context;
    private final KafkaFetcher fetcher;
    private final RecordDecoder decoder;
    private final RecordErrorHandler errors;
    private final Map<TopicPartition, Integer> splitIds = new HashMap<>();
    private final List<Split> splits = new ArrayList<>();

    private List<ConsumerRecord<byte[], byte[]>> chunk = List.of();
    private int chunkIndex;
    private RuntimeException failure;
    private boolean started;
    private boolean finished;
    private boolean closed;

    KafkaSourceReader(ConnectorContext context, KafkaFetcher fetcher) {
        this.context = context;
        this.fetcher = fetcher;
        this.decoder = context.createDecoder();
        this.errors = context.errorHandler();
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
        // Records that yield no row (tombstones, bad records) cost work too: bound them, so a poll stays short.
        long examinedLimit = maxRows * 4L + 1024;
        long examined = 0;
        try {
            while (added < maxRows && examined < examinedLimit) {
                if (chunkIndex < chunk.size()) {
                    examined++;
                    if (decode(chunk.get(chunkIndex++), out)) {
                        added++;
                    }
                    continue;
                }
                FetchEvent event = fetcher.nextEvent();
                if (event == null) {
                    break;
                }
                if (event instanceof FetchEvent.Failed failed) {
                    // Rows already added in this poll are delivered; the error comes with the next poll.
                    failure = failed.error();
                    if (added == 0) {
                        throw failure;
                    }
                    break;
                }
                apply(event);
            }
            if (chunkIndex >= chunk.size()) {
                applyControlEvents();
            }
        } finally {
            errors.recordsRead(added);
        }
        return added;
    }

    private boolean decode(ConsumerRecord<byte[], byte[]> record, BatchBuilder out) {
        byte[] value = record.value();
        if (value == null) {
            LOG.debug("{}: passing over tombstone at {}", context.describe(), where(record));
            return false;
        }
        try {
            if (decoder.decode(value, 0, value.length, out)) {
                out.setSplit(splitIds.get(new TopicPartition(record.topic(), record.partition())));
                out.commitRow();
                return true;
            }
            return false;
        } catch (RecordDecodeException e) {
            out.abortRow();
            errors.handle(where(record), value, e.reason());
            return false;
        }
    }

    private static String where(ConsumerRecord<?, ?> record) {
        return "kafka topic '" + record.topic() + "' partition " + record.partition() + " offset " + record.offset();
    }

    /** Takes the events that carry no records, so that a read-out partition or source shows as finished at once. */
    private void applyControlEvents() {
        FetchEvent next;
        while ((next = fetcher.peekEvent()) != null
                && (next instanceof FetchEvent.Assigned || next instanceof FetchEvent.PartitionEnded || next instanceof FetchEvent.AllEnded)) {
            apply(fetcher.nextEvent());
        }
    }

    private void apply(FetchEvent event) {
        if (event instanceof FetchEvent.Assigned assigned) {
            for (TopicPartition partition : assigned.partitions()) {
                int id = splits.size();
                splitIds.put(partition, id);
                splits.add(new Split(id, partition.topic() + "-" + partition.partition(), false));
            }
        } else if (event instanceof FetchEvent.Records records) {
            chunk = records.records();
            chunkIndex = 0;
        } else if (event instanceof FetchEvent.PartitionEnded ended) {
            int id = splitIds.get(ended.partition());
            splits.set(id, new Split(id, splits.get(id).name(), true));
        } else if (event instanceof FetchEvent.AllEnded) {
            finished = true;
        } else if (event instanceof FetchEvent.Failed failed) {
            throw failed.error();
        }
    }

    @Override
    public List<Split> splits() {
        return List.copyOf(splits);
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        chunk = List.of();
        fetcher.close();
    }
}
