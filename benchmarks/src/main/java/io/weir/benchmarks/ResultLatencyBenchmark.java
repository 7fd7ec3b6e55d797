package io.weir.benchmarks;

import io.weir.server.config.ServerConfig;
import io.weir.server.launcher.WeirServer;
import io.weir.server.meta.WeirMeta;
import org.HdrHistogram.Histogram;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Result latency of windowed push queries fed at a steady rate through HTTP ingest ({@code --feed http}) or
 * an in-process Kafka broker ({@code --feed kafka}: a topic of 4 partitions, JSON values, written round-robin):
 * records stamped with the wall clock are posted (produced) every 10 ms (the watermark trails the newest by
 * {@code --delay-ms}); a push
 * query over JDBC counts them per {@code TUMBLE 1 s} window or per {@code HOP 1 s / 10 s} window with a
 * {@code --batch-interval-ms} micro-batch. For each result row the client computes the time from the
 * moment its window could close (its end plus the watermark delay: the first record past it closes it) to
 * the row reaching the client; it prints those percentiles, and the server's own (sys.queries: from the
 * start of the micro-batch that fired the window to the client taking the row).
 *
 * The window's last records arrive just before it can close, so the same figure is the end-to-end latency
 * of those records: from their arrival at the server (at most 10 ms after their stamp) to the row at the client.
 *
 * <p>With {@code --sink kafka} the rows go instead through {@code INSERT INTO} a Kafka topic (in-process broker),
 * and a consumer of the topic (read_committed) measures the same: the window closable to the row readable in
 * the topic. {@code --delivery at-least-once} writes each micro-batch's rows at once; {@code exactly-once}
 * commits them in a transaction at each checkpoint ({@code --checkpoint-interval-ms}), which bounds the latency.
 *
 * <p>Usage: {@code ResultLatencyBenchmark [--rate 20000] [--seconds 60] [--warmup-seconds 15]
 * [--batch-interval-ms 50] [--delay-ms 0] [--window tumble|hop] [--feed http|kafka] [--sink jdbc|kafka]
 * [--delivery at-least-once|exactly-once] [--checkpoint-interval-ms 1000]}.
 */
public final class ResultLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        int rate = 20_000;
        int seconds = 60;
        int warmupSeconds = 15;
        long batchMillis = 50;
        long delayMillis = 0;
        String window = "tumble";
        String feed = "http";
        String sink = "jdbc";
        String delivery = "at-least-once";
        long checkpointMillis = 1000;
        for (int i = 0; i < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(value);
                case "--seconds" -> seconds = Integer.parseInt(value);
                case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
                case "--batch-interval-ms" -> batchMillis = Long.parseLong(value);
                case "--delay-ms" -> delayMillis = Long.parseLong(value);
                case "--window" -> window = value;
                case "--feed" -> feed = value;
                case "--sink" -> sink = value;
                case "--delivery" -> delivery = value;
                case "--checkpoint-interval-ms" -> checkpointMillis = Long.parseLong(value);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; use --rate, --seconds,"
                        + " --warmup-seconds, --batch-interval-ms, --delay-ms, --window, --feed, --sink, --delivery,"
                        + " --checkpoint-interval-ms");
            }
        }
        String windowFunction = switch (window) {
            case "tumble" -> "TUMBLE(TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND)";
            case "hop" -> "HOP(TABLE events, DESCRIPTOR(ts), INTERVAL '1' SECOND, INTERVAL '10' SECOND)";
            default -> throw new IllegalArgumentException("--window is tumble or hop");
        };
        if (!feed.equals("http") && !feed.equals("kafka")) {
            throw new IllegalArgumentException("--feed is http or kafka");
        }
        if (!sink.equals("jdbc") && !sink.equals("kafka")) {
            throw new IllegalArgumentException("--sink is jdbc or kafka");
        }
        if (!delivery.equals("at-least-once") && !delivery.equals("exactly-once")) {
            throw new IllegalArgumentException("--delivery is at-least-once or exactly-once");
        }
        org.apache.kafka.common.test.KafkaClusterTestKit broker = feed.equals("kafka") || sink.equals("kafka")
                ? KafkaBenchmark.startBroker() : null;
        try {
            Run settings = new Run(rate, seconds, warmupSeconds, batchMillis, delayMillis, window, windowFunction,
                    feed.equals("kafka"), sink.equals("kafka") ? Optional.of(delivery) : Optional.empty(), checkpointMillis);
            run(settings, broker);
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }

    /** What one run measures; {@code kafkaSink} holds the sink's delivery guarantee when rows go to a Kafka topic. */
    private record Run(int rate, int seconds, int warmupSeconds, long batchMillis, long delayMillis, String window,
                       String windowFunction, boolean kafkaFeed, Optional<String> kafkaSink, long checkpointMillis) {
    }

    private static void run(Run run, org.apache.kafka.common.test.KafkaClusterTestKit broker) throws Exception {
        int rate = run.rate();
        int seconds = run.seconds();
        int warmupSeconds = run.warmupSeconds();
        long batchMillis = run.batchMillis();
        long delayMillis = run.delayMillis();
        String window = run.window();
        String windowFunction = run.windowFunction();
        Path dataDir = ScratchDirectories.create("weir-latency-bench");
        ServerConfig config = ServerConfig.builder().bindAddress("127.0.0.1").port(0).pgPort(0).dataDir(dataDir).parallelism(1)
                .checkpointInterval(Duration.ofMillis(run.checkpointMillis())).build();
        AtomicBoolean stopping = new AtomicBoolean();
        AtomicLong posted = new AtomicLong();
        try (WeirServer server = WeirServer.start(config, new WeirMeta(config));
             Connection connection = DriverManager.getConnection(server.jdbcUrl());
             Statement statement = connection.createStatement()) {
            String connector = !run.kafkaFeed() ? "'connector' = 'http', 'format' = 'json', 'wal.sync' = 'interval'"
                    : "'connector' = 'kafka', 'topic' = '" + TOPIC + "', 'bootstrap.servers' = '" + broker.bootstrapServers()
                    + "', 'format' = 'json', 'scan.startup.mode' = 'latest-offset'";
            if (run.kafkaFeed()) {
                createTopic(broker.bootstrapServers(), TOPIC);
            }
            statement.execute("CREATE STREAM events (k INT, ts TIMESTAMP(3), WATERMARK FOR ts AS ts - INTERVAL '"
                    + String.format(Locale.ROOT, "%.3f", delayMillis / 1000.0) + "' SECOND) WITH (" + connector + ")");
            statement.execute("SET 'batch.interval' = '" + batchMillis + " ms'");
            int perPost = Math.max(PARTITIONS, rate / 100);
            if (run.kafkaSink().isPresent()) {
                measureKafkaSink(run, statement, broker.bootstrapServers(), server, perPost, stopping, posted);
                return;
            }
            Thread feeder = !run.kafkaFeed() ? feeder(server, perPost, stopping, posted)
                    : kafkaFeeder(broker.bootstrapServers(), perPost, stopping, posted);
            Histogram clientMicros = new Histogram(3);
            long warmupEnd = System.currentTimeMillis() + warmupSeconds * 1000L;
            long end = warmupEnd + seconds * 1000L;
            long rows = 0;
            try (Statement push = connection.createStatement();
                 ResultSet results = push.executeQuery("SELECT STREAM window_end, COUNT(*) AS n FROM TABLE(" + windowFunction
                         + ") GROUP BY window_start, window_end")) {
                push.setFetchSize(1);
                while (System.currentTimeMillis() < end && results.next()) {
                    long now = System.currentTimeMillis();
                    long closable = results.getTimestamp(1).getTime() + delayMillis;
                    if (now >= warmupEnd) {
                        clientMicros.recordValue(Math.max(0, now - closable) * 1000);
                        rows++;
                    }
                }
                String serverSide = serverLatency(server);
                stopping.set(true);
                feeder.join();
                System.out.printf(Locale.ROOT, "%s windows, %s %,d records/s, %d ms micro-batches, watermark delay %d ms, %,d rows"
                                + " over %d s:%n  window closable -> row at the client: p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n"
                                + "  server: %s%n",
                        window.toUpperCase(Locale.ROOT), !run.kafkaFeed() ? "HTTP ingest" : "Kafka (4 partitions)", rate, batchMillis, delayMillis, rows, seconds,
                        clientMicros.getValueAtPercentile(50) / 1000.0, clientMicros.getValueAtPercentile(99) / 1000.0,
                        clientMicros.getValueAtPercentile(99.9) / 1000.0, clientMicros.getMaxValue() / 1000.0, serverSide);
            }
        } finally {
            stopping.set(true);
        }
    }

    /**
     * The rows go through INSERT INTO a Kafka topic; a read_committed consumer of the topic measures, per row, the
     * window closable to the row readable.
     */
    private static void measureKafkaSink(Run run, Statement statement, String bootstrapServers, WeirServer server, int perPost,
                                         AtomicBoolean stopping, AtomicLong posted) throws Exception {
        String results = "latency-results";
        createTopic(bootstrapServers, results);
        String delivery = run.kafkaSink().orElseThrow();
        statement.execute("CREATE STREAM results (window_end TIMESTAMP(3), n BIGINT) WITH ('connector' = 'kafka', 'topic' = '"
                + results + "', 'bootstrap.servers' = '" + bootstrapServers + "', 'format' = 'json', 'delivery.guarantee' = '"
                + delivery + "')");
        Thread feeder = !run.kafkaFeed() ? feeder(server, perPost, stopping, posted)
                : kafkaFeeder(bootstrapServers, perPost, stopping, posted);
        java.util.Map<String, Object> settings = java.util.Map.of(
                org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                org.apache.kafka.clients.consumer.ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
        Histogram micros = new Histogram(3);
        long warmupEnd = System.currentTimeMillis() + run.warmupSeconds() * 1000L;
        long end = warmupEnd + run.seconds() * 1000L;
        long rows = 0;
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
        try (org.apache.kafka.clients.consumer.KafkaConsumer<byte[], byte[]> consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(
                settings, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.assign(java.util.stream.IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new org.apache.kafka.common.TopicPartition(results, p)).toList());
            statement.execute("INSERT INTO results SELECT STREAM window_end, COUNT(*) AS n FROM TABLE(" + run.windowFunction()
                    + ") GROUP BY window_start, window_end");
            while (System.currentTimeMillis() < end) {
                for (var record : consumer.poll(Duration.ofMillis(20))) {
                    long now = System.currentTimeMillis();
                    String windowEnd = json.readTree(record.value()).get("window_end").asText();
                    long closable = java.time.LocalDateTime.parse(windowEnd, format).toInstant(java.time.ZoneOffset.UTC).toEpochMilli()
                            + run.delayMillis();
                    if (now >= warmupEnd) {
                        micros.recordValue(Math.max(0, now - closable) * 1000);
                        rows++;
                    }
                }
            }
        } finally {
            stopping.set(true);
            feeder.join();
        }
        try (ResultSet query = statement.executeQuery("SELECT state, error, last_checkpoint, checkpoint_problem FROM sys.queries"
                + " WHERE kind = 'PERSISTENT'")) {
            while (query.next()) {
                System.out.printf(Locale.ROOT, "  the INSERT INTO: %s, last checkpoint %s%s%s%n", query.getString(1), query.getString(3),
                        query.getString(2) == null ? "" : ", error: " + query.getString(2),
                        query.getString(4) == null ? "" : ", checkpoint problem: " + query.getString(4));
            }
        }
        System.out.printf(Locale.ROOT, "%s windows, %s %,d records/s, %d ms micro-batches, watermark delay %d ms, INSERT INTO a Kafka"
                        + " topic (%s, checkpoint every %d ms), %,d rows over %d s:%n  window closable -> row readable in the topic"
                        + " (read_committed): p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n"
                        + "  server: %s%n",
                run.window().toUpperCase(Locale.ROOT), !run.kafkaFeed() ? "HTTP ingest" : "Kafka (4 partitions)", run.rate(),
                run.batchMillis(), run.delayMillis(), delivery, run.checkpointMillis(), rows, run.seconds(),
                micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(99) / 1000.0,
                micros.getValueAtPercentile(99.9) / 1000.0, micros.getMaxValue() / 1000.0, serverLatency(server));
    }

    /** The server's own latency percentiles of the running query, as its {@code /metrics} exports them. */
    private static String serverLatency(WeirServer server) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.httpUrl() + "/metrics")).GET()
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()).body();
        return String.format(Locale.ROOT, "result latency (micro-batch start -> row taken or handed to the sink) %s;"
                        + " end-to-end latency (record arrival -> first row it is in, taken or handed to the sink) %s"
                        + " (last one to two minutes)", percentiles(metrics, "weir_query_result_latency_seconds"),
                percentiles(metrics, "weir_query_end_to_end_latency_seconds"));
    }

    private static String percentiles(String metrics, String name) {
        StringBuilder text = new StringBuilder();
        for (String quantile : new String[] {"0.5", "0.99", "0.999"}) {
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?m)^" + name + "\\{[^}]*quantile=\"" + quantile.replace(".", "\\.")
                    + "\"[^}]*} (\\S+)$").matcher(metrics);
            String value = matcher.find() ? String.format(Locale.ROOT, "%.1f ms", Double.parseDouble(matcher.group(1)) * 1000) : "none";
            text.append(text.length() == 0 ? "" : ", ").append("p").append(quantile.equals("0.5") ? "50" : quantile.equals("0.99") ? "99" : "99.9")
                    .append(' ').append(value);
        }
        return text.toString();
    }

    private static final String TOPIC = "latency-events";
    private static final int PARTITIONS = 4;

    private static void createTopic(String bootstrapServers, String topic) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                java.util.Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
    }

    /** Produces {@code perPost} records stamped now every 10 ms, round-robin over the partitions, until stopped. */
    private static Thread kafkaFeeder(String bootstrapServers, int perPost, AtomicBoolean stopping, AtomicLong posted) {
        java.util.Map<String, Object> settings = java.util.Map.of(
                org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                org.apache.kafka.clients.producer.ProducerConfig.LINGER_MS_CONFIG, 0,
                org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG, "1");
        Thread thread = new Thread(() -> {
            try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer = new org.apache.kafka.clients.producer.KafkaProducer<>(
                    settings, new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                long next = System.nanoTime();
                int k = 0;
                while (!stopping.get()) {
                    String ts = Instant.now().toString();
                    for (int i = 0; i < perPost; i++) {
                        byte[] value = ("{\"k\": " + (k % 100) + ", \"ts\": \"" + ts + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                        producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(TOPIC, k++ % PARTITIONS, null, value));
                    }
                    producer.flush();
                    posted.addAndGet(perPost);
                    next += 10_000_000L;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait); // a steady feed, not a test waiting for a condition
                    }
                }
            }
        }, "kafka-feeder");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Posts {@code perPost} records stamped now every 10 ms, until stopped. */
    private static Thread feeder(WeirServer server, int perPost, AtomicBoolean stopping, AtomicLong posted) {
        HttpClient http = HttpClient.newHttpClient();
        URI uri = URI.create(server.httpUrl() + "/ingest/events");
        Thread thread = new Thread(() -> {
            long next = System.nanoTime();
            int k = 0;
            while (!stopping.get()) {
                StringBuilder body = new StringBuilder(perPost * 48);
                String ts = Instant.now().toString();
                for (int i = 0; i < perPost; i++) {
                    body.append("{\"k\": ").append(k++ % 100).append(", \"ts\": \"").append(ts).append("\"}\n");
                }
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-ndjson")
                            .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("POST answered " + response.statusCode() + ": " + response.body());
                    }
                    posted.addAndGet(perPost);
                } catch (Exception e) {
                    if (!stopping.get()) {
                        throw new IllegalStateException(e);
                    }
                    return;
                }
                next += 10_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // a steady feed, not a test waiting for a condition
                }
            }
        }, "feeder");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
