package io.weir.connector.kafka;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorResolver;
import io.weir.spi.connector.SinkConformanceTest;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** The sink contract against the shared in-process broker; each test writes to a fresh topic, read back as JSON. */
@ExtendWith(SharedBroker.class)
class KafkaSinkConformanceTest extends SinkConformanceTest {
    private static final AtomicInteger TOPICS = new AtomicInteger();
    private static TestBroker broker;

    private String topic;
    private Map<String, String> options;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestBroker.shared();
    }

    @Override
    protected String connectorName() {
        return "kafka";
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
    protected Map<String, String> sinkOptions(Path dir) throws Exception {
        topic = "sink_conformance_" + TOPICS.incrementAndGet();
        broker.createTopic(topic, 1);
        options = new LinkedHashMap<>();
        options.put("connector", "kafka");
        options.put("bootstrap.servers", broker.bootstrapServers());
        options.put("topic", topic);
        return options;
    }

    @Override
    protected List<Object[]> readBack() throws Exception {
        RecordDecoder decoder = ConnectorResolver.resolve(options, getClass().getClassLoader()).format().orElseThrow()
                .createDecoder(schema(), ConnectorResolver.resolve(options, getClass().getClassLoader()).options());
        BatchBuilder builder = new BatchBuilder(schema());
        for (ConsumerRecord<byte[], byte[]> record : broker.consumeAll(topic)) {
            if (decoder.decode(record.value(), 0, record.value().length, builder)) {
                builder.commitRow();
            }
        }
        return builder.build().rows();
    }
}
