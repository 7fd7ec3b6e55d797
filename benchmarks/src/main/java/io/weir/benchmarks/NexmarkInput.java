package io.weir.benchmarks;

import io.weir.connector.datagen.nexmark.NexmarkConfig;
import io.weir.connector.datagen.nexmark.NexmarkEvent;
import io.weir.connector.datagen.nexmark.NexmarkGenerator;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The input of {@link FlinkComparisonBenchmark}: the first N Nexmark events (Beam's generator, as the
 * {@code datagen} connector's nexmark profile produces them) for each N of the comparison, written once
 * as JSON-lines files ({@code <dir>/events-<N>/person.json}, {@code auction.json}, {@code bid.json};
 * the smaller inputs are prefixes of the larger) and, on demand, produced to Kafka topics
 * {@code nexmark-<N>-person}, {@code -auction}, {@code -bid} of {@link #PARTITIONS} partitions each.
 */
final class NexmarkInput {
    static final List<String> STREAMS = List.of("person", "auction", "bid");
    static final int PARTITIONS = 4;
    private static final long BASE_TIME_MILLIS = 1_700_000_000_000L;
    private static final long SEED = 42;

    private final Path dir;
    private final List<Integer> sizes;

    private NexmarkInput(Path dir, List<Integer> sizes) {
        this.dir = dir;
        this.sizes = List.copyOf(sizes);
    }

    /** Writes the files for each of {@code sizes} events (ascending) under {@code dir}, unless they are there already. */
    static NexmarkInput write(Path dir, List<Integer> sizes, long eventsPerSecond) throws IOException {
        NexmarkInput input = new NexmarkInput(dir, sizes);
        Path done = dir.resolve("events-" + sizes.get(sizes.size() - 1)).resolve(".complete-" + eventsPerSecond);
        if (Files.exists(done)) {
            return input;
        }
        Map<Integer, Map<String, BufferedWriter>> writers = new LinkedHashMap<>();
        try {
            for (int size : sizes) {
                Path sizeDir = Files.createDirectories(input.files(size));
                Map<String, BufferedWriter> byStream = new LinkedHashMap<>();
                for (String stream : STREAMS) {
                    byStream.put(stream, Files.newBufferedWriter(sizeDir.resolve(stream + ".json"), StandardCharsets.UTF_8));
                }
                writers.put(size, byStream);
            }
            NexmarkGenerator generator = new NexmarkGenerator(NexmarkConfig.defaults(eventsPerSecond, BASE_TIME_MILLIS), SEED);
            int last = sizes.get(sizes.size() - 1);
            for (int i = 0; i < last; i++) {
                NexmarkEvent event = generator.next();
                String line = NexmarkJson.of(event);
                String stream = NexmarkJson.stream(event);
                for (Map.Entry<Integer, Map<String, BufferedWriter>> size : writers.entrySet()) {
                    if (i < size.getKey()) {
                        BufferedWriter out = size.getValue().get(stream);
                        out.write(line);
                        out.write('\n');
                    }
                }
            }
        } finally {
            for (Map<String, BufferedWriter> byStream : writers.values()) {
                for (BufferedWriter writer : byStream.values()) {
                    writer.close();
                }
            }
        }
        Files.createFile(done);
        return input;
    }

    /** The directory of the files of the first {@code size} events. */
    Path files(int size) {
        return dir.resolve("events-" + size);
    }

    static String topicPrefix(int size) {
        return "nexmark-" + size + "-";
    }

    /**
     * Produces each file to its topic, round-robin over the partitions (so each partition is in
     * event-time order), and waits until the broker acknowledged everything.
     */
    void produce(String bootstrapServers) throws Exception {
        List<NewTopic> topics = new ArrayList<>();
        for (int size : sizes) {
            for (String stream : STREAMS) {
                topics.add(new NewTopic(topicPrefix(size) + stream, PARTITIONS, (short) 1));
            }
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(topics).all().get();
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, "20",
                ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()))) {
            for (int size : sizes) {
                for (String stream : STREAMS) {
                    String topic = topicPrefix(size) + stream;
                    try (BufferedReader lines = Files.newBufferedReader(files(size).resolve(stream + ".json"), StandardCharsets.UTF_8)) {
                        int n = 0;
                        for (String line = lines.readLine(); line != null && failure.get() == null; line = lines.readLine()) {
                            producer.send(new ProducerRecord<>(topic, n++ % PARTITIONS, null, line.getBytes(StandardCharsets.UTF_8)),
                                    (metadata, error) -> {
                                        if (error != null) {
                                            failure.compareAndSet(null, error);
                                        }
                                    });
                        }
                    }
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the Nexmark events failed", failure.get());
        }
    }
}
