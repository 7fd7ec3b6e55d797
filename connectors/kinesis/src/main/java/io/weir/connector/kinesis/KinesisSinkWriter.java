package io.weir.connector.kinesis;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.SinkCounters;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.format.RecordEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * The at-least-once Kinesis sink: rows are encoded by the stream's format and sent with {@code PutRecords}, at
 * most 500 records and 5 MB a call. Kinesis may store only part of a call (throttled shards, internal
 * failures): the records it did not store, and only those, are sent again after a back-off, up to
 * {@code 'sink.max-retries'} times, before the writer fails and the query restarts from its checkpoint.
 * {@link #flush()} returns once every row written is stored. A record's partition key is made of the
 * {@code 'key.fields'} values (random without them), so rows of one key go to one shard in order.
 */
final class KinesisSinkWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(KinesisSinkWriter.class);
    static final int MAX_RECORDS_PER_CALL = 500;
    static final int MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
    /** Data blob and partition key of one record together. */
    static final int MAX_RECORD_BYTES = 1024 * 1024;
    private static final int MAX_PARTITION_KEY_CHARS = 256;

    /** Waits between attempts; tests pass one that does not sleep. */
    interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private final String describedObject;
    private final String stream;
    private final PutRecordsCall sender;
    private final RecordEncoder encoder;
    private final int[] keyColumns;
    private final int maxRetries;
    private final SinkCounters counters;
    private final Backoff backoff;
    private final Sleeper sleeper;
    private final List<PutRecordsCall.Entry> buffer = new ArrayList<>();
    private long bufferBytes;
    private boolean closed;

    KinesisSinkWriter(String describedObject, String stream, PutRecordsCall sender, RecordEncoder encoder, int[] keyColumns,
                      int maxRetries, SinkCounters counters, Backoff backoff, Sleeper sleeper) {
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.stream = requireNonNull(stream, "stream is null");
        this.sender = requireNonNull(sender, "sender is null");
        this.encoder = requireNonNull(encoder, "encoder is null");
        this.keyColumns = keyColumns.clone();
        this.maxRetries = maxRetries;
        this.counters = requireNonNull(counters, "counters is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
        this.sleeper = requireNonNull(sleeper, "sleeper is null");
    }

    @Override
    public void write(Batch batch) {
        ensureOpen();
        for (int row = 0; row < batch.rowCount(); row++) {
            byte[] data = encoder.encode(batch, row);
            String key = partitionKey(batch, row);
            int size = data.length + key.getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_RECORD_BYTES) {
                throw new WeirException(ErrorCode.SINK_ERROR, describedObject + ": a row encodes to " + size + " bytes with its"
                        + " partition key, more than the 1 MiB a Kinesis record holds; write fewer or shorter columns");
            }
            if (buffer.size() == MAX_RECORDS_PER_CALL || bufferBytes + size > MAX_BYTES_PER_CALL) {
                sendBuffer();
            }
            buffer.add(new PutRecordsCall.Entry(key, data));
            bufferBytes += size;
        }
    }

    private String partitionKey(Batch batch, int row) {
        if (keyColumns.length == 0) {
            return UUID.randomUUID().toString();
        }
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < keyColumns.length; i++) {
            if (i > 0) {
                key.append('|');
            }
            key.append(batch.value(keyColumns[i], row));
        }
        if (key.isEmpty()) {
            return "-";
        }
        return key.length() <= MAX_PARTITION_KEY_CHARS ? key.toString() : digest(key.toString());
    }

    /** A key longer than Kinesis takes, shortened to its SHA-256 (the same rows still share a shard). */
    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    @Override
    public void flush() {
        ensureOpen();
        sendBuffer();
    }

    private void sendBuffer() {
        if (buffer.isEmpty()) {
            return;
        }
        List<PutRecordsCall.Entry> pending = List.copyOf(buffer);
        buffer.clear();
        bufferBytes = 0;
        send(pending);
    }

    /** Sends the entries, then again those Kinesis did not store, until all are stored or the retries are used up. */
    private void send(List<PutRecordsCall.Entry> entries) {
        List<PutRecordsCall.Entry> pending = entries;
        for (int attempt = 0; ; attempt++) {
            List<PutRecordsCall.Entry> failed = new ArrayList<>();
            String lastError;
            try {
                List<Optional<String>> results = sender.put(stream, pending);
                if (results.size() != pending.size()) {
                    throw new WeirException(ErrorCode.SINK_ERROR, describedObject + ": Kinesis answered PutRecords of "
                            + pending.size() + " records with " + results.size() + " results");
                }
                lastError = null;
                long delivered = 0;
                for (int i = 0; i < results.size(); i++) {
                    if (results.get(i).isPresent()) {
                        failed.add(pending.get(i));
                        lastError = results.get(i).get();
                    } else {
                        delivered += pending.get(i).data().length;
                    }
                }
                counters.bytesSent(delivered);
            } catch (SdkException e) {
                if (!ShardFetcher.transientFailure(e)) {
                    throw new WeirException(ErrorCode.SINK_ERROR, describedObject + ": Kinesis refused PutRecords to stream '"
                            + stream + "': " + e.getMessage(), e);
                }
                failed = pending;
                lastError = e.getMessage();
            }
            if (failed.isEmpty()) {
                backoff.reset();
                return;
            }
            if (attempt >= maxRetries) {
                throw new WeirException(ErrorCode.SINK_ERROR, describedObject + ": Kinesis did not store " + failed.size()
                        + " record(s) in stream '" + stream + "' after " + (attempt + 1) + " attempt(s), last error: " + lastError
                        + "; the query restarts from its last checkpoint (raise 'sink.max-retries' or the stream's shard count"
                        + " if Kinesis throttles)");
            }
            long wait = backoff.nextMillis();
            counters.retried();
            LOG.debug("{}: Kinesis did not store {} of {} record(s) ({}); sending them again in {} ms", describedObject,
                    failed.size(), pending.size(), lastError, wait);
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new WeirException(ErrorCode.SINK_ERROR, describedObject + ": interrupted while retrying PutRecords", e);
            }
            pending = failed;
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        buffer.clear();
        if (sender instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("{}: closing the Kinesis client failed: {}", describedObject, e.toString());
            }
        }
    }
}
