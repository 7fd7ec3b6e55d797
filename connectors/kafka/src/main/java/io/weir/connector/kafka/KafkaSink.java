package io.weir.connector.kafka;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkWriter;

import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/** Writes a persistent query's rows to the stream's one topic. */
final class KafkaSink implements Sink {
    private static final AtomicInteger WRITERS = new AtomicInteger();

    private final ConnectorContext context;
    private final KafkaSettings settings;

    KafkaSink(ConnectorContext context, KafkaSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public SinkWriter createWriter() {
        String clientId = "weir-sink-" + context.objectName() + "-" + WRITERS.incrementAndGet();
        return new KafkaSinkWriter(context.describe(), settings, context.createEncoder(),
                settings.key().map(key -> key.encoder(context)), clientId);
    }
}
