package io.weir.connector.flume;

import io.weir.spi.connector.ConnectorConformanceTest;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.apache.flume.Event;
import org.apache.flume.event.EventBuilder;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The conformance suite against a stand-in agent ({@link RetryingAgent}, Flume's RPC client) that
 * delivers the fixture as one batch as soon as the stream listens, as an agent's Avro sink retrying
 * its transaction would.
 */
class FlumeConnectorConformanceTest extends ConnectorConformanceTest {
    private final List<RetryingAgent> agents = new ArrayList<>();

    @AfterEach
    void stopAgents() {
        agents.forEach(RetryingAgent::close);
    }

    @Override
    protected String connectorName() {
        return "flume";
    }

    @Override
    protected List<DataType.Field> schema() {
        return List.of(new DataType.Field("id", DataType.of(TypeKind.BIGINT)), new DataType.Field("name", DataType.varchar()));
    }

    @Override
    protected Map<String, String> fixtureOptions(Path dir) throws IOException {
        return delivering(List.of("{\"id\": 1, \"name\": \"a\"}", "{\"ID\": 2, \"NAME\": \"b\"}",
                "{\"id\": 3, \"name\": \"c\", \"extra\": true}"));
    }

    @Override
    protected List<Object[]> expectedRows() {
        return List.of(new Object[] {1L, "a"}, new Object[] {2L, "b"}, new Object[] {3L, "c"});
    }

    @Override
    protected Map<String, String> badRecordFixtureOptions(Path dir) throws IOException {
        // The bad records come before the last good one, so reading the good rows has handled them all.
        return delivering(List.of("{\"id\": 1, \"name\": \"a\"}", "{\"id\": ", "{\"id\": \"x\", \"name\": \"b\"}",
                "{\"id\": 4, \"name\": \"d\"}"));
    }

    @Override
    protected List<Object[]> expectedRowsWithoutBadRecords() {
        return List.of(new Object[] {1L, "a"}, new Object[] {4L, "d"});
    }

    @Override
    protected int badRecordCount() {
        return 2;
    }

    private Map<String, String> delivering(List<String> bodies) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<Event> events = bodies.stream().map(body -> EventBuilder.withBody(body, StandardCharsets.UTF_8)).toList();
        agents.add(new RetryingAgent(port, events));
        return Map.of("connector", "flume", "host", "127.0.0.1", "port", Integer.toString(port));
    }
}
