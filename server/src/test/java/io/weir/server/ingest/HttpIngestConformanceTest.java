package io.weir.server.ingest;

import io.weir.spi.connector.ConnectorConformanceTest;
import io.weir.spi.connector.ConnectorServices;
import io.weir.spi.connector.ingest.IngestLogs;
import io.weir.spi.wal.WalSettings;
import io.weir.spi.wal.WalSync;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code http} ingest source under the connector conformance base: the fixture's records are
 * appended to the stream's write-ahead log (as {@code POST /ingest/<stream>} does) and read from its start with
 * {@code 'scan.startup.mode' = 'earliest'}. Lives here, not in the SPI module that holds the
 * connector, because reading needs the {@code json} format.
 */
class HttpIngestConformanceTest extends ConnectorConformanceTest {
    private static final String STREAM = "conformance_http";

    @Override
    protected String connectorName() {
        return "http";
    }

    @Override
    protected List<DataType.Field> schema() {
        return List.of(new DataType.Field("id", DataType.of(TypeKind.BIGINT)), new DataType.Field("name", DataType.varchar()));
    }

    @Override
    protected Duration timeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    protected Map<String, String> fixtureOptions(Path dir) {
        return posted(dir, "{\"id\": 1, \"name\": \"a\"}", "{\"id\": 2, \"name\": \"b\"}", "{\"id\": 3}");
    }

    @Override
    protected List<Object[]> expectedRows() {
        return List.of(new Object[] {1L, "a"}, new Object[] {2L, "b"}, new Object[] {3L, null});
    }

    @Override
    protected Map<String, String> badRecordFixtureOptions(Path dir) {
        return posted(dir, "{\"id\": 1, \"name\": \"a\"}", "{\"id\": \"one\"}", "{broken", "{\"id\": 4, \"name\": \"d\"}");
    }

    @Override
    protected List<Object[]> expectedRowsWithoutBadRecords() {
        return List.of(new Object[] {1L, "a"}, new Object[] {4L, "d"});
    }

    @Override
    protected int badRecordCount() {
        return 2;
    }

    /**
     * The stream's log holding just these records, and options that read it from the start. Written by a
     * server that then stopped: the harness's connector opens the log from its files.
     */
    private Map<String, String> posted(Path dir, String... records) {
        // The harness gives the connector tempDir/state as its data directory.
        try (ConnectorServices writer = new ConnectorServices()) {
            IngestLogs.open(writer.writeAheadLogs(), tempDir.resolve("state"), STREAM,
                    WalSettings.of(WalSync.ALWAYS, Duration.ofHours(1), 1 << 20, 1 << 16), InstantSource.system())
                    .append(Arrays.stream(records).map(r -> r.getBytes(StandardCharsets.UTF_8)).toList());
        }
        Map<String, String> options = new LinkedHashMap<>();
        options.put("connector", "http");
        options.put("format", "json");
        options.put("scan.startup.mode", "earliest");
        return options;
    }
}
