package io.weir.connector.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Produces records that cannot be decoded to {@code 'dead-letter.topic'}: the raw key and value, and
 * headers naming where the record came from and why it was rejected. The producer is created with
 * the first bad record. A record that cannot be produced is logged and dropped: it is still counted
 * and kept in the server's dead-letter store by the {@link io.weir.spi.error.RecordErrorHandler}.
 */
final class DeadLetterTopic implements AutoCloseable {
    static final String SOURCE_TOPIC = "weir.source.topic";
    static final String SOURCE_PARTITION = "weir.source.partition";
    static final String SOURCE_OFFSET = "weir.source.offset";
    static final String ERROR_REASON = "weir.error.reason";
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterTopic.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaSettings settings;
    private final String topic;
    private final String describedObject;
    private final String clientId;
    private final AtomicLong failed = new AtomicLong();
    private KafkaProducer<byte[], byte[]> producer;

    DeadLetterTopic(KafkaSettings settings, String topic, String describedObject, String clientId) {
        this.settings = requireNonNull(settings, "settings is null");
        this.topic = requireNonNull(topic, "topic is null");
        this.describedObject = requireNonNull(describedObject, "describedObject is null");
        this.clientId = requireNonNull(clientId, "clientId is null");
    }

    /** Sends asynchronously the record with {@code value} (its value's bytes); never throws for a send failure. */
    void send(ConsumerRecord<byte[], ?> record, byte[] value, String reason) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(SOURCE_TOPIC, utf8(record.topic()));
        headers.add(SOURCE_PARTITION, utf8(Integer.toString(record.partition())));
        headers.add(SOURCE_OFFSET, utf8(Long.toString(record.offset())));
        headers.add(ERROR_REASON, utf8(reason));
        try {
            producer().send(new ProducerRecord<>(topic, null, null, record.key(), value, headers), (metadata, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                    LOG.warn("{}: cannot produce the bad record at {} partition {} offset {} to dead-letter topic '{}': {}",
                            describedObject, record.topic(), record.partition(), record.offset(), topic, e.toString());
                }
            });
        } catch (KafkaException e) {
            failed.incrementAndGet();
            LOG.warn("{}: cannot produce a bad record to dead-letter topic '{}': {}", describedObject, topic, e.toString());
        }
    }

    /** Waits until the records sent so far are acknowledged (or failed); before the source commits past them. */
    void flush() {
        if (producer != null) {
            producer.flush();
        }
    }

    private KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Map<String, Object> config = settings.producerConfig(clientId);
            // send() runs on the engine's polling thread and waits up to max.block.ms for the topic's metadata
            // (e.g. when the topic does not exist): keep that short unless the user chose otherwise.
            if (!settings.consumerProperties().containsKey(ProducerConfig.MAX_BLOCK_MS_CONFIG)) {
                config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "1000");
            }
            producer = new KafkaProducer<>(config);
        }
        return producer;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (producer != null) {
            try {
                producer.close(CLOSE_TIMEOUT);
            } catch (KafkaException e) {
                LOG.warn("{}: cannot close the dead-letter producer cleanly", describedObject, e);
            }
            producer = null;
        }
        if (failed.get() > 0) {
            LOG.warn("{}: {} bad records could not be produced to dead-letter topic '{}'", describedObject, failed.get(), topic);
        }
    }
}
