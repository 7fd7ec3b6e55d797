package io.weir.connector.kafka;

import io.weir.spi.connector.SinkCounters;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.format.RecordEncoder;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * Encodes rows as records of a sink's one topic and sends them through one producer: the value by the
 * stream's format, the key by {@code 'key.format'} from the {@code 'key.fields'} (no key without
 * them). Sends are asynchronous; the first one that fails is remembered and fails the next
 * {@link #send} or {@link #flush()}.
 */
final class TopicProducer {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProducer.class);

    private final String describedObject;
    private final String topic;
    private final String bootstrapServers;
    private final RecordEncoder valueEncoder;
    private final Optional<KeyFormat.KeyEncoder> keyEncoder;
    private final KafkaProducer<byte[], byte[]> producer;
    /** The first failed send; written by the producer's I/O thread. */
    private final AtomicReference<Exception> sendError = new AtomicReference<>();
    private final AtomicLong lostRecords = new AtomicLong();
    private final Callback callback;
    /** Where the bytes of the keys and values sent count. */
    private final SinkCounters counters;

    TopicProducer(String describedObject, String topic, String bootstrapServers, RecordEncoder valueEncoder,
                  Optional<KeyFormat.KeyEncoder> keyEncoder, KafkaProducer<byte[], byte[]> producer, SinkCounters counters) {
        this.counters = requireNonNull(counters, "counters is null");
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.bootstrapServers = requireNonNull(bootstrapServers, "bootstrapServers is null");
        this.valueEncoder = requireNonNull(valueEncoder, "valueEncoder is null");
        this.keyEncoder = requireNonNull(keyEncoder, "keyEncoder is null");
        this.producer = requireNonNull(producer, "producer is null");
        this.callback = (metadata, exception) -> {
            if (exception != null) {
                lostRecords.incrementAndGet();
                // Only the first is logged here (later ones usually share its cause); close() logs how many were lost.
                if (sendError.compareAndSet(null, exception)) {
                    LOG.warn("{}: cannot write to Kafka topic '{}': {}", describedObject, topic, exception.toString());
                }
            }
        };
    }

    KafkaProducer<byte[], byte[]> producer() {
        return producer;
    }

    String topic() {
        return topic;
    }

    /** Sends one record per row of {@code batch}, without waiting for acknowledgements. */
    void send(Batch batch) {
        throwIfFailed();
        long bytes = 0;
        for (int row = 0; row < batch.rowCount(); row++) {
            byte[] value = valueEncoder.encode(batch, row);
            byte[] key = keyEncoder.isPresent() ? keyEncoder.get().encode(batch, row) : null;
            try {
                producer.send(new ProducerRecord<>(topic, key, value), callback);
            } catch (KafkaException e) {
                // Thrown synchronously, e.g. a record larger than max.request.size or metadata not available in max.block.ms.
                counters.bytesSent(bytes);
                throw failure(e);
            }
            bytes += (value == null ? 0 : value.length) + (key == null ? 0 : key.length);
        }
        counters.bytesSent(bytes);
    }

    /** Returns once every record sent so far is acknowledged; fails if any send failed. */
    void flush() {
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw failure(e);
        }
        throwIfFailed();
    }

    private void throwIfFailed() {
        Exception error = sendError.get();
        if (error != null) {
            throw failure(error);
        }
    }

    /** A sink error naming the topic, the brokers and the cause. */
    WeirException failure(Exception cause) {
        return failure(describedObject, topic, bootstrapServers, cause);
    }

    static WeirException failure(String describedObject, String topic, String bootstrapServers, Exception cause) {
        return new WeirException(ErrorCode.SINK_ERROR, describedObject + ": cannot write to Kafka topic '" + topic + "' at '"
                + bootstrapServers + "': " + describe(cause)
                + ". Check that the topic exists, that the brokers are reachable and that this client may write to it", cause);
    }

    static String describe(Exception cause) {
        String what = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        return what + " (" + cause.getClass().getSimpleName() + ")";
    }

    /** Closes the producer, waiting at most {@code timeout} for records not yet sent. */
    void close(Duration timeout) {
        try {
            producer.close(timeout);
        } catch (KafkaException e) {
            LOG.warn("{}: cannot close the Kafka producer of topic '{}' cleanly", describedObject, topic, e);
        }
        if (lostRecords.get() > 0) {
            LOG.warn("{}: {} records could not be written to Kafka topic '{}'", describedObject, lostRecords.get(), topic);
        }
    }
}
