package io.weir.connector.kafka;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.connector.SourceReader;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A reader survives its broker going away and coming back; this class stops its own broker. */
class KafkaBrokerRestartTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final List<DataType.Field> CLICKS = List.of(
            new DataType.Field("user_id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("url", DataType.varchar()));

    private static TestBroker broker;

    @TempDir
    Path tempDir;

    @BeforeAll
    static void startBroker() throws Exception {
        // A restarted broker registers again once the controller has expired its old session: keep that short.
        broker = TestBroker.start(Map.of("broker.session.timeout.ms", "1500", "broker.heartbeat.interval.ms", "300"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void readerKeepsRunningWhileTheBrokerIsDownAndResumesAfterItsRestart() throws Exception {
        broker.createTopic("restart", 1);
        broker.produce("restart", 0, "{\"user_id\": 1, \"url\": \"/a\"}", "{\"user_id\": 2, \"url\": \"/b\"}");
        SourceHarness harness = SourceHarness.create("restart", ObjectKind.STREAM, CLICKS, Map.of("connector", "kafka",
                "bootstrap.servers", broker.bootstrapServers(), "topic", "restart",
                "properties.reconnect.backoff.max.ms", "200"), tempDir, InstantSource.system());
        try (SourceReader reader = harness.createSource().createReader()) {
            assertThat(harness.read(reader, 2, TIMEOUT)).extracting(row -> row[0]).containsExactly(1L, 2L);

            broker.stopBroker();
            BatchBuilder builder = new BatchBuilder(CLICKS);
            long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (System.nanoTime() < until) {
                assertThat(reader.poll(builder, 10)).as("rows while the broker is down").isZero();
                Thread.sleep(50);
            }

            broker.startBrokerAgain();
            broker.produce("restart", 0, "{\"user_id\": 3, \"url\": \"/c\"}");
            assertThat(harness.read(reader, 1, TIMEOUT)).extracting(row -> row[0]).containsExactly(3L);
        }
    }
}
