package io.weir.connector.kinesis;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.ResolvedConnector;
import io.weir.spi.connector.SinkConformanceTest;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The sink contract against kinesalite: each test writes a fresh one-shard stream, read back as JSON. */
class KinesisSinkConformanceTest extends SinkConformanceTest {
    private static TestStreams streams;
    private String stream;
    private Map<String, String> options;

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
        return List.of(
                new DataType.Field("id", DataType.of(TypeKind.BIGINT)),
                new DataType.Field("name", DataType.varchar()),
                new DataType.Field("score", DataType.of(TypeKind.DOUBLE)),
                new DataType.Field("active", DataType.of(TypeKind.BOOLEAN)),
                new DataType.Field("ts", DataType.timestamp(3)));
    }

    @Override
    protected Map<String, String> sinkOptions(Path dir) {
        stream = streams.create("sink_conformance", 1);
        options = streams.options(stream);
        options.remove("scan.startup.mode");
        options.put("key.fields", "id");
        return options;
    }

    @Override
    protected List<Object[]> readBack() throws Exception {
        ResolvedConnector resolved = ConnectorResolver.resolve(options, getClass().getClassLoader());
        RecordDecoder decoder = resolved.format().orElseThrow().createDecoder(schema(), resolved.options());
        BatchBuilder builder = new BatchBuilder(schema());
        for (String data : streams.readAllData(stream)) {
            byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
            if (decoder.decode(bytes, 0, bytes.length, builder)) {
                builder.commitRow();
            }
        }
        return builder.build().rows();
    }
}
