package io.weir.connector.kinesis;

import io.weir.spi.connector.ConnectorConformanceTest;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The source contract against kinesalite: each fixture is a fresh one-shard stream read from its trim horizon. */
class KinesisConnectorConformanceTest extends ConnectorConformanceTest {
    private static TestStreams streams;

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

    @Override
    protected String connectorName() {
        return "kinesis";
    }

    @Override
    protected List<DataType.Field> schema() {
        return List.of(new DataType.Field("id", DataType.of(TypeKind.BIGINT)), new DataType.Field("name", DataType.varchar()));
    }

    @Override
    protected Map<String, String> fixtureOptions(Path dir) {
        return stream(List.of("{\"id\": 1, \"name\": \"a\"}", "{\"ID\": 2, \"NAME\": \"b\"}",
                "{\"id\": 3, \"name\": \"c\", \"extra\": true}"));
    }

    @Override
    protected List<Object[]> expectedRows() {
        return List.of(new Object[] {1L, "a"}, new Object[] {2L, "b"}, new Object[] {3L, "c"});
    }

    @Override
    protected Map<String, String> badRecordFixtureOptions(Path dir) {
        // The bad records come before the last good one, so reading the good rows has handled them all.
        return stream(List.of("{\"id\": 1, \"name\": \"a\"}", "{\"id\": ", "{\"id\": \"x\", \"name\": \"b\"}",
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

    private Map<String, String> stream(List<String> records) {
        String stream = streams.create("conformance", 1);
        records.forEach(data -> streams.put(stream, "k", data));
        return streams.options(stream);
    }
}
