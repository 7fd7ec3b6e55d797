package io.weir.server.crash;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Produces input records to a Kafka topic, each to its record's partition with its event time as the
 * record timestamp. Idempotent producer: a retried send is not written twice.
 */
final class KafkaStepWriter implements StepWriter {
    private final String topic;
    private final KafkaProducer<String, String> producer;

    KafkaStepWriter(String bootstrapServers, String topic) {
        this.topic = requireNonNull(topic, "topic is null");
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    @Override
    public void write(int firstIndex, List<InputRecord> step) {
        for (InputRecord record : step) {
            producer.send(new ProducerRecord<>(topic, record.partition(), record.timestampMillis(), record.key(), record.json()));
        }
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
