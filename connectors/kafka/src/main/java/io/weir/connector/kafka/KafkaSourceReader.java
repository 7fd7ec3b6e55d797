package io.weir.connector.kafka;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.Split;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.type.ConversionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Decodes the records a {@link KafkaFetcher} fetched, on the engine's thread: the value by the format,
 * the {@code 'key.fields'} from the key, then the metadata columns. Each topic-partition is
 * a split (ids in the fetcher's partition order, names {@code topic-partition}); the splits are known
 * once the fetcher has resolved the topics, shortly after the first poll. Records without a value
 * (tombstones) carry no row and are passed over. Every row carries its record's offset, so that the
 * reader can be read {@linkplain io.weir.spi.connector.OffsetReading by offsets}.
 */
final class KafkaSourceReader implements OffsetReader {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceReader.class);

    private final ConnectorContext context;
    private final KafkaFetcher fetcher;
    private RecordDecoder decoder;
    private final RecordErrorHandler errors;
    private final KafkaSettings settings;
    private final List<KafkaMetadata.Filler> metadata;
    private final int metadataStart;
    private final KeyFormat.KeyDecoder keyDecoder;
    private final DeadLetterTopic deadLetterTopic;
    /** Per partition, the offset after the last record this reader handled (returned as a row or passed over). */
    private final Map<TopicPartition, Long> handled = new HashMap<>();
    /** The offsets last handed to the fetcher to commit, per group. */
    private final Map<String, Map<TopicPartition, Long>> committed = new HashMap<>();
    /** For a reader by offsets, its partitions in split order and their start offsets; empty otherwise. */
    private final Map<TopicPartition, Long> start;
    private final Map<TopicPartition, Integer> splitIds = new HashMap<>();
    private final List<Split> splits = new ArrayList<>();

    /** The partitions of the fetched batch being decoded, and the next one to take. */
    private List<FetchEvent.PartitionRecords> chunk = List.of();
    private int chunkPartition;
    /** The records of the partition being decoded: its split, and the next record to decode. */
    private TopicPartition partition;
    private int split;
    private List<ConsumerRecord<byte[], ByteBuffer>> records = List.of();
    private int recordIndex;
    /** A copy of a value whose buffer has no accessible array; reused from record to record. */
    private byte[] scratch = new byte[0];
    private RuntimeException failure;
    private boolean started;
    private boolean finished;
    /** The fetcher's partitions arrived ({@link FetchEvent.Assigned}). */
    private boolean assigned;
    private boolean closed;

    KafkaSourceReader(ConnectorContext context, KafkaSettings settings, KafkaFetcher fetcher, String clientId) {
        this(context, settings, fetcher, clientId, Map.of());
    }

    /** @param start for a reader by offsets, its partitions in split order (as given to the fetcher) and their start offsets */
    KafkaSourceReader(ConnectorContext context, KafkaSettings settings, KafkaFetcher fetcher, String clientId,
                      Map<TopicPartition, Long> start) {
        this.context = context;
        this.start = new LinkedHashMap<>(start);
        this.settings = settings;
        this.fetcher = fetcher;
        this.decoder = context.createDecoder();
        this.errors = context.errorHandler();
        this.metadata = KafkaMetadata.fillers(context);
        this.metadataStart = context.schema().size();
        this.keyDecoder = settings.key().map(key -> key.decoder(context)).orElse(null);
        this.deadLetterTopic = settings.deadLetterTopic()
                .map(topic -> new DeadLetterTopic(settings, topic, context.describe(), clientId + "-dead-letters"))
                .orElse(null);
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
                if (recordIndex < records.size()) {
                    int end = (int) Math.min(records.size(), recordIndex + Math.min(maxRows - added, examinedLimit - examined));
                    int start = recordIndex;
                    try {
                        added += decodeRecords(end, out);
                    } finally {
                        examined += recordIndex - start;
                    }
                    continue;
                }
                if (chunkPartition < chunk.size()) {
                    FetchEvent.PartitionRecords next = chunk.get(chunkPartition++);
                    partition = next.partition();
                    split = splitIds.get(partition);
                    records = next.records();
                    recordIndex = 0;
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
            if (recordIndex >= records.size() && chunkPartition >= chunk.size()) {
                applyControlEvents();
            }
        } finally {
            errors.recordsRead(added);
        }
        return added;
    }

    /**
     * Decodes the partition's records up to {@code end} in a tight loop; the partition's handled offset is set once
     * per run, not per record. A method of its own, apart from {@link #poll}'s handling of the fetcher's events, so that the JIT
     * compiles this loop once: when {@link #poll} meets an event it had not met before, only that small method is
     * compiled again (measured with JFR: the loop inlined into {@code poll} was compiled up to five times, ~90 ms each).
     *
     * @return the rows added
     */
    private int decodeRecords(int end, BatchBuilder out) {
        int start = recordIndex;
        int added = 0;
        boolean completed = false;
        try {
            while (recordIndex < end) {
                if (decodeRow(records.get(recordIndex++), out)) {
                    added++;
                }
            }
            completed = true;
        } finally {
            // a record whose error failed the poll is passed over but not handled: it is read again after a restart
            int handledEnd = completed ? recordIndex : recordIndex - 1;
            if (handledEnd > start) {
                handled.put(partition, records.get(handledEnd - 1).offset() + 1);
            }
        }
        return added;
    }

    /** The record's row: the value's columns, the key's columns (which win), then the metadata columns. */
    private boolean decodeRow(ConsumerRecord<byte[], ByteBuffer> record, BatchBuilder out) {
        ByteBuffer value = record.value();
        errors.bytesRead(record.serializedKeySize() + (long) record.serializedValueSize());
        if (value == null) {
            LOG.debug("{}: passing over tombstone at {}", context.describe(), where(record));
            return false;
        }
        try {
            // Decoded where the consumer fetched it. Measured with KafkaBenchmark (3M bids, 4 partitions):
            // without the byte[] copy per value and the per-record partition lookups, the readers' threads
            // read 16% more records per CPU-second and the process allocates 19% fewer bytes per record.
            boolean decoded;
            if (value.hasArray()) {
                decoded = decoder.decode(value.array(), value.arrayOffset() + value.position(), value.remaining(), out);
            } else {
                int length = value.remaining();
                if (scratch.length < length) {
                    scratch = new byte[Math.max(length, scratch.length * 2)];
                }
                value.duplicate().get(scratch, 0, length);
                decoded = decoder.decode(scratch, 0, length, out);
            }
            if (!decoded) {
                return false;
            }
            if (keyDecoder != null && record.key() != null) {
                try {
                    keyDecoder.decode(record.key(), out);
                } catch (RecordDecodeException e) {
                    throw new RecordDecodeException("record key: " + e.reason(), e);
                }
            }
            for (int i = 0; i < metadata.size(); i++) {
                KafkaMetadata.Filler filler = metadata.get(i);
                try {
                    out.set(metadataStart + i, filler.value(record));
                } catch (ConversionException e) {
                    throw new RecordDecodeException("metadata column '" + filler.column().name() + "': " + e.getMessage(), e);
                }
            }
            out.setSplit(split);
            out.setOffset(record.offset());
            out.commitRow();
            return true;
        } catch (RecordDecodeException e) {
            out.abortRow();
            byte[] bytes = bytes(value);
            if (deadLetterTopic != null) {
                deadLetterTopic.send(record, bytes, e.reason());
            }
            errors.handle(where(record), bytes, e.reason());
            return false;
        }
    }

    /** A copy of the value's bytes, for a bad record kept whole. */
    private static byte[] bytes(ByteBuffer value) {
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        return bytes;
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
        if (event instanceof FetchEvent.Assigned assignment) {
            assigned = true;
            for (TopicPartition partition : assignment.partitions()) {
                int id = splits.size();
                splitIds.put(partition, id);
                splits.add(new Split(id, splitName(partition), false));
            }
        } else if (event instanceof FetchEvent.Records fetched) {
            chunk = fetched.partitions();
            chunkPartition = 0;
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

    /** Only once the fetcher assigned the partitions (or the read failed or ended). */
    @Override
    public boolean splitsKnown() {
        return assigned || finished;
    }

    @Override
    public boolean isFinished() {
        return finished;
    }

    /** The value decoder holds no state between records: a wider one takes over at the next record. */
    @Override
    public boolean widenProjection(io.weir.spi.type.Projection projection) {
        decoder = context.withProjection(projection).createDecoder();
        return true;
    }

    /**
     * For a persistent query: hands the offsets after the rows returned so far to the fetcher, which
     * commits them to the group (only partitions that moved). Bad records sent to the dead-letter
     * topic are flushed first, so that a commit never skips a dead letter that was not delivered.
     */
    @Override
    public void commit() {
        if (closed || !settings.commitOffsets()) {
            return;
        }
        requestCommit(settings.groupId().orElseThrow(), handled);
    }

    /** For a reader by offsets: the consumer's group gets these offsets (after the dead letters before them are out). */
    @Override
    public void commit(String consumerId, SplitOffsets offsets) {
        if (closed) {
            return;
        }
        Map<TopicPartition, Long> next = new HashMap<>();
        offsets.forEach((split, offset) -> next.put(partitionOf(split), offset));
        requestCommit(KafkaSettings.groupOf(consumerId), next);
    }

    private void requestCommit(String group, Map<TopicPartition, Long> next) {
        if (deadLetterTopic != null) {
            deadLetterTopic.flush();
        }
        Map<TopicPartition, Long> last = committed.computeIfAbsent(group, g -> new HashMap<>());
        Map<TopicPartition, Long> moved = new HashMap<>();
        next.forEach((partition, offset) -> {
            if (!offset.equals(last.get(partition))) {
                moved.put(partition, offset);
            }
        });
        if (!moved.isEmpty()) {
            fetcher.requestCommit(group, moved);
            last.putAll(moved);
        }
    }

    /** Per partition, where the next record is: after the last one handled, else the start offset. */
    @Override
    public SplitOffsets offsets() {
        Map<String, Long> offsets = new LinkedHashMap<>();
        start.forEach((partition, offset) -> offsets.put(splitName(partition), handled.getOrDefault(partition, offset)));
        handled.forEach((partition, offset) -> offsets.putIfAbsent(splitName(partition), offset));
        return SplitOffsets.of(offsets);
    }

    /** The split name of a partition: {@code topic-partition}. */
    static String splitName(TopicPartition partition) {
        return partition.topic() + "-" + partition.partition();
    }

    /** The partition a split name stands for (topic names may hold '-', partition numbers do not). */
    static TopicPartition partitionOf(String splitName) {
        int dash = splitName.lastIndexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("not a Kafka split name: " + splitName);
        }
        return new TopicPartition(splitName.substring(0, dash), Integer.parseInt(splitName.substring(dash + 1)));
    }

    @Override
    public OptionalLong lag() {
        long lag = fetcher.lag();
        return lag < 0 ? OptionalLong.empty() : OptionalLong.of(lag);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        chunk = List.of();
        records = List.of();
        try {
            fetcher.close();
        } finally {
            if (deadLetterTopic != null) {
                deadLetterTopic.close();
            }
        }
    }
}
