package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.connector.SourceHarness;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A sink whose brokers are all down fails at its first call with an error naming them, instead of
 * blocking its query for {@code max.block.ms} (a minute) while the Kafka client logs two warnings a
 * second; closing it afterwards does not wait either.
 */
class KafkaSinkUnreachableBrokerTest {
    private static final List<DataType.Field> SCHEMA = List.of(new DataType.Field("id", DataType.of(TypeKind.BIGINT)));

    @TempDir
    Path tempDir;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anExactlyOnceWriterFailsAtRecoverWhenNoBrokerListens() throws IOException {
        String bootstrap = "127.0.0.1:" + closedPort();
        SinkWriter writer = writer(bootstrap, Optional.of("q1.out"));
        try {
            assertThatThrownBy(() -> writer.recover(Optional.empty()))
                    .isInstanceOfSatisfying(WeirException.class, e -> org.assertj.core.api.Assertions.assertThat(e.errorCode())
                            .isEqualTo(ErrorCode.SINK_ERROR))
                    .hasMessageContaining("cannot connect to any Kafka broker in 'bootstrap.servers' = '" + bootstrap + "'")
                    .hasMessageContaining(bootstrap + " (Connection refused)");
        } finally {
            writer.close();
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anAtLeastOnceWriterFailsAtItsFirstWriteWhenNoBrokerListens() throws IOException {
        String bootstrap = "localhost:" + closedPort() + ", 127.0.0.1:" + closedPort();
        SinkWriter writer = writer(bootstrap, Optional.empty());
        try {
            assertThatThrownBy(() -> writer.write(Batch.of(SCHEMA, List.<Object[]>of(new Object[] {1L}))))
                    .isInstanceOf(WeirException.class)
                    .hasMessageContaining("cannot connect to any Kafka broker")
                    .hasMessageContaining("Check that the brokers are running");
        } finally {
            writer.close();
        }
    }

    private SinkWriter writer(String bootstrap, Optional<String> writerId) {
        SourceHarness harness = SourceHarness.create("out", ObjectKind.STREAM, SCHEMA, Map.of("connector", "kafka",
                "bootstrap.servers", bootstrap, "topic", "out"), tempDir, InstantSource.system());
        return harness.resolved().connector().createSink(harness.context().withReading(List.of(), writerId)).createWriter();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
