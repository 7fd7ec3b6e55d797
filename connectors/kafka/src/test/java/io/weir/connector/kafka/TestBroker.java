package io.weir.connector.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import org.apache.kafka.clients.producer.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** A real single-node KRaft broker in the test JVM (see shared/notes/kafka-in-tests.md), with helpers. */
final class TestBroker implements AutoCloseable {
    private static TestBroker shared;

    private final KafkaClusterTestKit cluster;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;

    private TestBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    static TestBroker start() throws Exception {
        return start(Map.of());
    }

    /** A broker with these extra broker configs. */
    static TestBroker start(Map<String, String> configs) throws Exception {
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                // One broker: the transaction log of exactly-once sinks cannot have the default three replicas.
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .setConfigProp("auto.create.topics.enable", "false");
        configs.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return new TestBroker(cluster);
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * The broker the test classes annotated {@code @ExtendWith(SharedBroker.class)} share (a broker
     * start costs seconds; test classes use distinct topic names); started by {@link SharedBroker}.
     */
    static synchronized TestBroker shared() {
        if (shared == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(SharedBroker.class)");
        }
        return shared;
    }

    /** Starts the shared broker; {@link SharedBroker} closes it when the test run ends. */
    static synchronized TestBroker startShared() throws Exception {
        if (shared == null) {
            shared = start();
        }
        return shared;
    }

    /** Stops the broker process part (the controller keeps running); its port stays reserved for {@link #startBrokerAgain()}. */
    void stopBroker() {
        cluster.brokers().values().forEach(broker -> broker.shutdown());
        cluster.brokers().values().forEach(broker -> broker.awaitShutdown());
    }

    void startBrokerAgain() throws ExecutionException, InterruptedException {
        cluster.brokers().values().forEach(broker -> broker.startup());
        cluster.waitForReadyBrokers();
    }

    String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    Admin admin() {
        return admin;
    }

    void createTopic(String name, int partitions) throws ExecutionException, InterruptedException {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }

    /** Sends the values to one partition, in order, and waits until they are acknowledged. */
    void produce(String topic, int partition, String... values) throws ExecutionException, InterruptedException {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (String value : values) {
            sent.add(producer.send(new ProducerRecord<>(topic, partition, null, null,
                    value == null ? null : value.getBytes(StandardCharsets.UTF_8))));
        }
        producer.flush();
        for (Future<RecordMetadata> future : sent) {
            future.get();
        }
    }

    void produceAt(String topic, int partition, long timestamp, String value) throws ExecutionException, InterruptedException {
        send(new ProducerRecord<>(topic, partition, timestamp, null, value.getBytes(StandardCharsets.UTF_8)));
    }

    /** Sends one record with this key, timestamp and headers and waits until it is acknowledged. */
    void produce(String topic, int partition, Long timestamp, String key, String value, Map<String, String> headers)
            throws ExecutionException, InterruptedException {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, text) -> recordHeaders.add(name, text.getBytes(StandardCharsets.UTF_8)));
        send(new ProducerRecord<>(topic, partition, timestamp, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8), recordHeaders));
    }

    /** Every record of the topic up to the end offsets at the call, partition by partition in offset order. */
    List<ConsumerRecord<byte[], byte[]>> consumeAll(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .sorted(Comparator.comparingInt(TopicPartition::partition))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("cannot read " + topic + " up to " + end);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
            records.sort(Comparator.<ConsumerRecord<byte[], byte[]>>comparingInt(ConsumerRecord::partition)
                    .thenComparingLong(ConsumerRecord::offset));
            return records;
        }
    }

    private void send(ProducerRecord<byte[], byte[]> record) throws ExecutionException, InterruptedException {
        producer.send(record).get();
    }

    @Override
    public void close() {
        synchronized (TestBroker.class) {
            if (shared == this) {
                shared = null;
            }
        }
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the test broker", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the test broker", e);
        }
    }

    void stop() throws Exception {
        producer.close();
        admin.close();
        cluster.close();
    }
}
