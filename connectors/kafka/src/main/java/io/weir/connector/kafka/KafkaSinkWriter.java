package io.weir.connector.kafka;

import io.weir.spi.batch.Batch;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.SinkCounters;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.format.RecordEncoder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The at-least-once Kafka sink: an idempotent producer (acks=all) whose records are visible at once;
 * {@link #flush()} waits for every acknowledgement and fails on the first send error, so the engine
 * does not commit the sources' positions for rows that were not delivered. Rows written after the last
 * checkpoint are written again when the query replays.
 */
final class KafkaSinkWriter implements SinkWriter {
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String describedObject;
    private final KafkaSettings settings;
    private final RecordEncoder valueEncoder;
    private final Optional<KeyFormat.KeyEncoder> keyEncoder;
    private final String clientId;
    private TopicProducer records;
    /** A write or flush failed: the producer is not waited for when it closes (the rows are written again on replay). */
    private final SinkCounters counters;
    private boolean failed;
    private boolean closed;

    KafkaSinkWriter(String describedObject, KafkaSettings settings, RecordEncoder valueEncoder,
                    Optional<KeyFormat.KeyEncoder> keyEncoder, String clientId, SinkCounters counters) {
        this.counters = requireNonNull(counters, "counters is null");
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.valueEncoder = requireNonNull(valueEncoder, "valueEncoder is null");
        this.keyEncoder = requireNonNull(keyEncoder, "keyEncoder is null");
        this.clientId = requireNonNull(clientId, "clientId is null");
    }

    @Override
    public void write(Batch batch) {
        ensureOpen();
        try {
            records().send(batch);
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }

    @Override
    public void flush() {
        ensureOpen();
        if (records != null) {
            try {
                records.flush();
            } catch (RuntimeException e) {
                failed = true;
                throw e;
            }
        }
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return DeliveryGuarantee.AT_LEAST_ONCE;
    }

    private TopicProducer records() {
        if (records == null) {
            String topic = settings.topics().get(0);
            BrokerReachability.check(describedObject, settings.bootstrapServers(), BrokerReachability.CONNECT_TIMEOUT);
            KafkaProducer<byte[], byte[]> producer;
            try {
                producer = new KafkaProducer<>(settings.producerConfig(clientId));
            } catch (KafkaException e) {
                throw TopicProducer.failure(describedObject, topic, settings.bootstrapServers(), e);
            }
            records = new TopicProducer(describedObject, topic, settings.bootstrapServers(), valueEncoder, keyEncoder, producer, counters);
        }
        return records;
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
        if (records != null) {
            records.close(failed ? Duration.ZERO : CLOSE_TIMEOUT);
            records = null;
        }
    }
}
