package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.SinkWriter;
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
 * Produces one record per row: the value encoded by the stream's format, the key by
 * {@code 'key.format'} from the {@code 'key.fields'} (no key without them). Sends are asynchronous;
 * under at-least-once, {@link #flush()} waits for every acknowledgement and fails on the first send
 * error, so the engine does not commit the sources' offsets for rows that were not delivered.
 */
final class KafkaSinkWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkWriter.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final String describedObject;
    private final KafkaSettings settings;
    private final String topic;
    private final RecordEncoder valueEncoder;
    private final Optional<KeyFormat.KeyEncoder> keyEncoder;
    private final String clientId;
    /** The first failed send since the writer started; written by the producer's I/O thread. */
    private final AtomicReference<Exception> sendError = new AtomicReference<>();
    private final AtomicLong lostRecords = new AtomicLong();
    private final Callback callback;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean closed;

    KafkaSinkWriter(String describedObject, KafkaSettings settings, RecordEncoder valueEncoder,
                    Optional<KeyFormat.KeyEncoder> keyEncoder, String clientId) {
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.topic = settings.topics().get(0);
        this.valueEncoder = requireNonNull(valueEncoder, "valueEncoder is null");
        this.keyEncoder = requireNonNull(keyEncoder, "keyEncoder is null");
        this.clientId = requireNonNull(clientId, "clientId is null");
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

    @Override
    public void write(Batch batch) {
        ensureOpen();
        throwIfFailed();
        KafkaProducer<byte[], byte[]> kafka = producer();
        for (int row = 0; row < batch.rowCount(); row++) {
            byte[] value = valueEncoder.encode(batch, row);
            byte[] key = keyEncoder.isPresent() ? keyEncoder.get().encode(batch, row) : null;
            try {
                kafka.send(new ProducerRecord<>(topic, key, value), callback);
            } catch (KafkaException e) {
                // Thrown synchronously, e.g. a record larger than max.request.size or metadata not available in max.block.ms.
                throw failure(e);
            }
        }
    }

    @Override
    public void flush() {
        ensureOpen();
        if (producer == null) {
            return;
        }
        if (!settings.atLeastOnce()) {
            return; // 'none': records go out in the background; failures are logged only
        }
        try {
            producer.flush();
        } catch (KafkaException e) {
            throw failure(e);
        }
        throwIfFailed();
    }

    private void throwIfFailed() {
        Exception error = sendError.get();
        if (error != null && settings.atLeastOnce()) {
            throw failure(error);
        }
    }

    private WeirException failure(Exception cause) {
        String what = cause.getMessage() != null ? cause.getMessage() : cause.toString();
        return new WeirException(ErrorCode.SINK_ERROR, describedObject + ": cannot write to Kafka topic '" + topic + "' at '"
                + settings.bootstrapServers() + "': " + what + " (" + cause.getClass().getSimpleName()
                + "). Check that the topic exists, that the brokers are reachable and that this client may write to it", cause);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            try {
                producer = new KafkaProducer<>(settings.producerConfig(clientId, settings.atLeastOnce()));
            } catch (KafkaException e) {
                throw failure(e);
            }
        }
        return producer;
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
        if (producer != null) {
            try {
                producer.close(CLOSE_TIMEOUT);
            } catch (KafkaException e) {
                LOG.warn("{}: cannot close the Kafka producer {} cleanly", describedObject, clientId, e);
            }
            producer = null;
        }
        if (lostRecords.get() > 0) {
            LOG.warn("{}: {} records could not be written to Kafka topic '{}'", describedObject, lostRecords.get(), topic);
        }
    }
}
