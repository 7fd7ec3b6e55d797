package io.weir.connector.zeromq;

import io.weir.spi.connector.ConnectorConformanceTest;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The conformance suite in connect mode, against a publisher owned by the test that publishes the
 * fixture to every reader when it subscribes: single-frame messages and {@code [topic, payload]} ones.
 */
class ZeroMqConnectorConformanceTest extends ConnectorConformanceTest {
    static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
            new DataType.Field("name", DataType.varchar()));

    private final List<Publisher> publishers = new ArrayList<>();

    @AfterEach
    void stopPublishers() {
        publishers.forEach(Publisher::close);
    }

    @Override
    protected String connectorName() {
        return "zeromq";
    }

    @Override
    protected List<DataType.Field> schema() {
        return SCHEMA;
    }

    @Override
    protected Map<String, String> fixtureOptions(Path dir) {
        return publishing(List.of(
                List.of("{\"id\": 1, \"name\": \"a\"}"),
                List.of("events", "{\"ID\": 2, \"NAME\": \"b\"}\n"),
                List.of("events", "ignored middle frame", "{\"id\": 3, \"name\": \"c\", \"extra\": true}")));
    }

    @Override
    protected List<Object[]> expectedRows() {
        return List.of(new Object[] {1L, "a"}, new Object[] {2L, "b"}, new Object[] {3L, "c"});
    }

    @Override
    protected Map<String, String> badRecordFixtureOptions(Path dir) {
        // The bad records come before the last good one, so reading the good rows has handled them all.
        return publishing(List.of(
                List.of("{\"id\": 1, \"name\": \"a\"}"),
                List.of("events", "{\"id\": "),
                List.of("{\"id\": \"x\", \"name\": \"b\"}"),
                List.of("events", "{\"id\": 4, \"name\": \"d\"}")));
    }

    @Override
    protected List<Object[]> expectedRowsWithoutBadRecords() {
        return List.of(new Object[] {1L, "a"}, new Object[] {4L, "d"});
    }

    @Override
    protected int badRecordCount() {
        return 2;
    }

    private Map<String, String> publishing(List<List<String>> messages) {
        Publisher publisher = new Publisher(0, messages);
        publishers.add(publisher);
        return Map.of("connector", "zeromq", "endpoint", publisher.endpoint());
    }
}
