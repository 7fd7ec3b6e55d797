package io.weir.server.demo;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.weir.connector.datagen.profile.WeblogsGenerator;
import io.weir.connector.datagen.profile.WeblogsProfile;
import io.weir.spi.batch.RowWriter;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Writes web-server access-log events as JSON lines into a Kafka topic at a steady rate, with the
 * datagen connector's {@code weblogs} generator: {@code {"ts":"2026-01-01 10:00:00.123","ip":...,
 * "user":...,"method":...,"url":...,"status":200,"bytes":5120,"latency":31}}. Event times are the
 * wall clock (UTC) with up to a second of disorder, so a watermark a few seconds behind keeps them
 * all. Records are keyed by client IP, so one client's requests stay in order in one partition.
 */
public final class DemoLogGenerator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoLogGenerator.class);
    /** The columns written, in order; all produced by {@link WeblogsProfile}. */
    static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("ts", DataType.timestamp(3)),
            new DataType.Field("ip", DataType.varchar()),
            new DataType.Field("user", DataType.varchar()),
            new DataType.Field("method", DataType.varchar()),
            new DataType.Field("url", DataType.varchar()),
            new DataType.Field("status", DataType.of(TypeKind.INTEGER)),
            new DataType.Field("bytes", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("latency", DataType.of(TypeKind.INTEGER)));
    private static final int IP_COLUMN = 1;
    private static final long TICK_MILLIS = 100;
    private static final long MAX_DISORDER_MILLIS = 1_000;
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);

    private final Producer<String, String> producer;
    private final String topic;
    private final double eventsPerTick;
    private final WeblogsGenerator generator;
    private final JsonRow row = new JsonRow(SCHEMA);
    private final ScheduledExecutorService ticker;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicBoolean failureLogged = new AtomicBoolean();
    private double owed;
    private boolean closed;

    private DemoLogGenerator(String bootstrapServers, String topic, double eventsPerSecond, long seed) {
        this.topic = requireNonNull(topic, "topic is null");
        this.eventsPerTick = eventsPerSecond * TICK_MILLIS / 1000.0;
        this.generator = new WeblogsGenerator(seed, SCHEMA, WeblogsProfile.bind("Demo generator", SCHEMA),
                new double[SCHEMA.size()], MAX_DISORDER_MILLIS);
        this.producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.CLIENT_ID_CONFIG, "weir-demo-generator"),
                new StringSerializer(), new StringSerializer());
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "weir-demo-generator");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts writing {@code eventsPerSecond} events a second (spread over ticks of 100 ms) to {@code topic}.
     */
    public static DemoLogGenerator start(String bootstrapServers, String topic, double eventsPerSecond) {
        if (!(eventsPerSecond > 0)) {
            throw new IllegalArgumentException("eventsPerSecond must be positive: " + eventsPerSecond);
        }
        DemoLogGenerator generator = new DemoLogGenerator(requireNonNull(bootstrapServers, "bootstrapServers is null"),
                topic, eventsPerSecond, System.nanoTime());
        generator.ticker.scheduleAtFixedRate(generator::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("Writing about {} web-log events a second to topic '{}'", Math.round(eventsPerSecond), topic);
        return generator;
    }

    /** Events the broker acknowledged so far. */
    public long sent() {
        return sent.get();
    }

    private void tick() {
        try {
            owed += eventsPerTick;
            long now = System.currentTimeMillis();
            while (owed >= 1) {
                owed--;
                generator.write(row, now);
                String json = row.json();
                producer.send(new ProducerRecord<>(topic, (String) row.value(IP_COLUMN), json), (metadata, error) -> {
                    if (error == null) {
                        sent.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                        if (failureLogged.compareAndSet(false, true)) {
                            LOG.warn("Writing to topic '{}' failed (further failures are counted, not logged): {}", topic,
                                    error.toString());
                        }
                    }
                });
            }
        } catch (RuntimeException e) {
            // A thrown exception would cancel the schedule silently; log and keep ticking.
            LOG.error("The demo log generator failed to produce events", e);
        }
    }

    /** Stops generating, then flushes and closes the producer. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ticker.shutdown();
        try {
            if (!ticker.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("The demo log generator did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close(Duration.ofSeconds(5));
        }
        LOG.info("Demo log generator stopped after {} events ({} failed)", sent.get(), failed.get());
    }

    /** One generated row, kept as values and written as a JSON object. Not thread-safe. */
    static final class JsonRow implements RowWriter {
        private final List<DataType.Field> schema;
        private final Object[] values;

        JsonRow(List<DataType.Field> schema) {
            this.schema = List.copyOf(schema);
            this.values = new Object[schema.size()];
        }

        @Override
        public List<DataType.Field> rowType() {
            return schema;
        }

        @Override
        public void setNull(int column) {
            values[column] = null;
        }

        @Override
        public void setLong(int column, long value) {
            values[column] = value;
        }

        @Override
        public void setDouble(int column, double value) {
            values[column] = value;
        }

        @Override
        public void setBoolean(int column, boolean value) {
            values[column] = value;
        }

        @Override
        public void setObject(int column, Object value) {
            values[column] = value;
        }

        @Override
        public void commitRow() {
            // The generator writes every column of each row; nothing to complete.
        }

        @Override
        public void abortRow() {
            Arrays.fill(values, null);
        }

        Object value(int column) {
            return values[column];
        }

        String json() {
            StringBuilder json = new StringBuilder(192).append('{');
            for (int column = 0; column < schema.size(); column++) {
                if (column > 0) {
                    json.append(',');
                }
                appendString(json, schema.get(column).name()).append(':');
                Object value = values[column];
                if (value == null) {
                    json.append("null");
                } else if (schema.get(column).type().kind() == TypeKind.TIMESTAMP) {
                    appendString(json, TIMESTAMP.format(Instant.ofEpochMilli((Long) value)));
                } else if (value instanceof Number || value instanceof Boolean) {
                    json.append(value);
                } else {
                    appendString(json, value.toString());
                }
            }
            return json.append('}').toString();
        }

        private static StringBuilder appendString(StringBuilder json, String text) {
            return json.append('"').append(JsonStringEncoder.getInstance().quoteAsString(text)).append('"');
        }
    }
}
