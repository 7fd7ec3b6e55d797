package io.weir.connector.webhook;

import io.weir.spi.connector.SinkConformanceTest;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The sink contract, against a real HTTP server; rows are read back by decoding the JSON bodies. */
class WebhookSinkConformanceTest extends SinkConformanceTest {
    private static final List<DataType.Field> SCHEMA = List.of(
            new DataType.Field("id", DataType.of(TypeKind.BIGINT).withNullable(false)),
            new DataType.Field("name", DataType.varchar()),
            new DataType.Field("score", DataType.of(TypeKind.DOUBLE)),
            new DataType.Field("ok", DataType.of(TypeKind.BOOLEAN)),
            new DataType.Field("amount", DataType.decimal(10, 2)),
            new DataType.Field("day", DataType.of(TypeKind.DATE)),
            new DataType.Field("ts", DataType.timestamp(3)),
            new DataType.Field("payload", DataType.of(TypeKind.VARBINARY)),
            new DataType.Field("tags", DataType.array(DataType.varchar())),
            new DataType.Field("attributes", DataType.map(DataType.varchar(), DataType.of(TypeKind.BIGINT))));

    private WebhookServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Override
    protected String connectorName() {
        return WebhookConnectorFactory.NAME;
    }

    @Override
    protected List<DataType.Field> schema() {
        return SCHEMA;
    }

    @Override
    protected Map<String, String> sinkOptions(Path dir) throws Exception {
        server = new WebhookServer();
        return Map.of("connector", "webhook", "url", server.url(), "retry.initial-backoff", "10 ms");
    }

    @Override
    protected List<Object[]> readBack() {
        return server.acceptedRows(SCHEMA);
    }
}
