package io.weir.connector.kafka;

import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Writes a persistent query's rows to the stream's one topic, exactly once (a transaction per
 * checkpoint) or at least once. Exactly-once needs the stable writer id of a persistent query's sink
 * ({@link ConnectorContext#consumerId()}) to name its transactions; a writer without one (nothing to
 * recover after a restart) writes at least once.
 */
final class KafkaSink implements Sink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSink.class);
    private static final AtomicInteger WRITERS = new AtomicInteger();

    private final ConnectorContext context;
    private final KafkaSettings settings;

    KafkaSink(ConnectorContext context, KafkaSettings settings) {
        this.context = requireNonNull(context, "context is null");
        this.settings = requireNonNull(settings, "settings is null");
        if (KafkaSettings.usesLegacyDeliveryOption(context)) {
            LOG.warn("{}: 'sink.delivery-guarantee' is deprecated and means 'delivery.guarantee' = 'at-least-once';"
                    + " replace it with that option (or drop it for exactly-once)", context.describe());
        }
    }

    @Override
    public SinkWriter createWriter() {
        String clientId = "weir-sink-" + context.objectName() + "-" + WRITERS.incrementAndGet();
        if (settings.deliveryGuarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            if (context.consumerId().isPresent()) {
                return new TransactionalKafkaSinkWriter(context.describe(), settings, context.createEncoder(),
                        settings.key().map(key -> key.encoder(context)), clientId,
                        TransactionalKafkaSinkWriter.transactionalIdOf(context.consumerId().get()), context.sinkCounters());
            }
            LOG.info("{}: this writer belongs to no persistent query, so it has no stable id to name transactions"
                    + " after; it writes at least once", context.describe());
        }
        return new KafkaSinkWriter(context.describe(), settings, context.createEncoder(),
                settings.key().map(key -> key.encoder(context)), clientId, context.sinkCounters());
    }
}
