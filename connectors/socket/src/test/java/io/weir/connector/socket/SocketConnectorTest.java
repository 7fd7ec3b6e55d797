package io.weir.connector.socket;

import io.weir.spi.connector.ConnectorConformanceTest;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The conformance suite in connect mode, against a server that sends every client the same lines and
 * keeps the connection open (so a reader sees each line once).
 */
class SocketConnectorTest extends ConnectorConformanceTest {
    static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("name", DataType.varchar()));

    private final List<LineServer> servers = new ArrayList<>();

    @AfterEach
    void stopServers() throws IOException {
        for (LineServer server : servers) {
            server.close();
        }
    }

    @Override
    protected String connectorName() {
        return "socket";
    }

    @Override
    protected List<DataType.Field> schema() {
        return SCHEMA;
    }

    @Override
    protected Map<String, String> fixtureOptions(Path dir) throws IOException {
        return serving("{\"id\": 1, \"name\": \"a\"}\n\n{\"ID\": 2, \"NAME\": \"b\"}\r\n{\"id\": 3, \"name\": \"c\", \"extra\": true}\n");
    }

    @Override
    protected List<Object[]> expectedRows() {
        return List.of(new Object[] {1L, "a"}, new Object[] {2L, "b"}, new Object[] {3L, "c"});
    }

    @Override
    protected Map<String, String> badRecordFixtureOptions(Path dir) throws IOException {
        // The bad records come before the last good one, so reading the good rows has handled them all.
        return serving("{\"id\": 1, \"name\": \"a\"}\n{\"id\": \n{\"id\": \"x\", \"name\": \"b\"}\n{\"id\": 4, \"name\": \"d\"}\n");
    }

    @Override
    protected List<Object[]> expectedRowsWithoutBadRecords() {
        return List.of(new Object[] {1L, "a"}, new Object[] {4L, "d"});
    }

    @Override
    protected int badRecordCount() {
        return 2;
    }

    private Map<String, String> serving(String text) throws IOException {
        LineServer server = LineServer.keepingOpen(text);
        servers.add(server);
        return Map.of("connector", "socket", "host", "127.0.0.1", "port", Integer.toString(server.port()));
    }
}
