package io.weir.server.demo;

import io.weir.server.meta.ServerContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the demo says about streams of its names that a user registered before it ran. */
class DemoStreamsTest {
    @TempDir
    Path dataDir;

    @Test
    void anExistingStreamOfAnotherConnectorIsNamedByWhatItReads() {
        try (ServerContext context = ServerContext.open(dataDir, Map.of())) {
            // the quickstart's weblogs, created before the demo ran on the same data directory
            context.executor().execute(context.newSessionProperties(),
                    "CREATE STREAM weblogs (url VARCHAR, status INT, ts TIMESTAMP(3)) "
                            + "WITH ('connector' = 'datagen', 'profile' = 'weblogs', 'rows-per-second' = '1')");

            DemoStreams.Registration registration = DemoStreams.register(context, "127.0.0.1:19092");

            assertThat(registration.notes()).anySatisfy(note -> assertThat(note)
                    .startsWith("Stream 'weblogs' exists already and reads from connector 'datagen' ('profile' = 'weblogs'),"
                            + " not from the demo broker at 127.0.0.1:19092; DROP STREAM weblogs")
                    .doesNotContain("null"));
        }
    }

    @Test
    void anExistingKafkaStreamIsNamedByItsBroker() {
        try (ServerContext context = ServerContext.open(dataDir, Map.of())) {
            context.executor().execute(context.newSessionProperties(), DemoStreams.weblogsDdl("127.0.0.1:19093"));

            DemoStreams.Registration registration = DemoStreams.register(context, "127.0.0.1:19094");

            assertThat(registration.notes()).anySatisfy(note -> assertThat(note).startsWith(
                    "Stream 'weblogs' exists already and reads from connector 'kafka' ('bootstrap.servers' = '127.0.0.1:19093'),"
                            + " not from the demo broker at 127.0.0.1:19094"));
        }
    }
}
