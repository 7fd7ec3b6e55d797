package io.weir.connector.kinesis;

import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorRequest;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reader against kinesalite through a client that throttles: kinesalite never refuses a read, so every third
 * GetRecords call here fails with Kinesis's ProvisionedThroughputExceededException before it reaches the emulator.
 * The reader backs off and reads every record once, and never calls one shard twice within 200 ms (Kinesis's 5 calls a
 * second and shard), refused calls included.
 */
class ShardFetcherThrottlingTest {
    private static final List<DataType.Field> SCHEMA = List.of(new DataType.Field("id", DataType.of(TypeKind.BIGINT)));
    private static TestStreams streams;

    @TempDir
    Path temp;

    @BeforeAll
    static void startEmulator() throws Exception {
        streams = new TestStreams(Kinesalite.shared().endpoint());
    }

    @AfterAll
    static void closeClient() {
        if (streams != null) {
            streams.close();
        }
    }

    /**
     * A client that passes calls to {@code real}, but fails every third GetRecords call as throttled, and notes when
     * each shard was called (the shard of an iterator is the shard it was asked for, or whose records it continues).
     */
    private static KinesisClient throttling(KinesisClient real, AtomicInteger throttled, Map<String, List<Long>> calls) {
        AtomicInteger getRecords = new AtomicInteger();
        Map<String, String> shardOfIterator = new ConcurrentHashMap<>();
        return (KinesisClient) Proxy.newProxyInstance(KinesisClient.class.getClassLoader(), new Class<?>[] {KinesisClient.class},
                (proxy, method, args) -> {
                    String shard = null;
                    if (method.getName().equals("getRecords") && args != null && args[0] instanceof GetRecordsRequest request) {
                        shard = shardOfIterator.get(request.shardIterator());
                        calls.computeIfAbsent(shard, s -> Collections.synchronizedList(new ArrayList<>())).add(System.currentTimeMillis());
                        if (getRecords.incrementAndGet() % 3 == 0) {
                            throttled.incrementAndGet();
                            throw ProvisionedThroughputExceededException.builder().message("Rate exceeded for shard").build();
                        }
                    }
                    Object result;
                    try {
                        result = method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (result instanceof GetShardIteratorResponse response && args[0] instanceof GetShardIteratorRequest request) {
                        shardOfIterator.put(response.shardIterator(), request.shardId());
                    } else if (result instanceof GetRecordsResponse response && response.nextShardIterator() != null) {
                        shardOfIterator.put(response.nextShardIterator(), shard);
                    }
                    return result;
                });
    }

    @Test
    void throttledCallsAreRepeatedAfterABackOffAndNoRecordIsLostOrRepeated() {
        String stream = streams.create("throttled", 2);
        for (int i = 0; i < 60; i++) {
            streams.put(stream, "k" + i, "{\"id\": " + i + "}");
        }
        Map<String, String> options = new java.util.HashMap<>(streams.options(stream));
        options.put("scan.get-records.max-records", "7");
        SourceHarness harness = SourceHarness.create("throttled", SCHEMA, options, temp);
        KinesisSettings settings = KinesisSettings.of(harness.context());
        AtomicInteger throttled = new AtomicInteger();
        Map<String, List<Long>> calls = new ConcurrentHashMap<>();
        ShardFetcher fetcher = new ShardFetcher(settings, "Stream 'throttled'",
                () -> throttling(KinesisClients.create(settings), throttled, calls), Optional.empty(), InstantSource.system(),
                new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)), new PositionStore(temp.resolve("positions")));
        try (KinesisSourceReader reader = new KinesisSourceReader(harness.context(), stream, fetcher, SplitOffsets.of(Map.of()))) {
            KinesisReading reading = new KinesisReading(reader, SCHEMA);
            List<KinesisReading.Row> rows = reading.readUntil(60, Duration.ofSeconds(60));
            assertThat(reading.readFor(Duration.ofMillis(500))).hasSize(60);
            assertThat(rows).extracting(row -> (Long) row.value(0)).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.LongStream.range(0, 60).boxed().toList());
        }
        assertThat(throttled.get()).as("throttled calls").isGreaterThanOrEqualTo(3);
        // 'scan.get-records.interval' (200 ms) between two calls on one shard, refused ones too: at most 5 a second
        assertThat(calls).hasSize(2);
        calls.forEach((shard, times) -> {
            assertThat(times).as("calls on %s", shard).hasSizeGreaterThan(3);
            for (int i = 1; i < times.size(); i++) {
                assertThat(times.get(i) - times.get(i - 1)).as("ms between calls %d and %d on %s", i - 1, i, shard)
                        .isGreaterThanOrEqualTo(200);
            }
        });
    }
}
