package io.weir.spi.connector.memory;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.Capability;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.ConnectorFactory;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.FormatUsage;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.connector.Sink;
import io.weir.spi.connector.SinkOptions;
import io.weir.spi.connector.Source;
import io.weir.spi.option.ConfigOption;

import java.util.List;
import java.util.Set;

/** {@code 'connector' = 'memory'}: rows registered in {@link InMemoryData}, for tests and demos. */
public final class MemoryConnectorFactory implements ConnectorFactory {
    public static final String NAME = "memory";
    public static final ConfigOption DATA = ConfigOption.string("data",
            "Name of the data set registered with InMemoryData.register(...)").asRequired();

    /** At least once by default: tests and demos read a memory sink right after each micro-batch. */
    public static final ConfigOption DELIVERY_GUARANTEE = SinkOptions.deliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Rows registered in process memory, for tests and demos";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(DATA, DELIVERY_GUARANTEE);
    }

    @Override
    public FormatUsage usesFormat() {
        return FormatUsage.none();
    }

    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.STREAM_SOURCE, Capability.TABLE_SOURCE, Capability.SINK);
    }

    @Override
    public void validate(ConnectorContext context) {
        InMemoryData.DataSet dataSet = dataSet(context);
        if (context.kind() == ObjectKind.TABLE && !dataSet.bounded()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": in-memory data set '"
                    + context.options().string(DATA) + "' is unbounded; register it as bounded or use CREATE STREAM");
        }
    }

    @Override
    public Source createSource(ConnectorContext context) {
        return new MemorySource(context, dataSet(context));
    }

    /** Appends the rows of each flushed micro-batch to the data set, where its readers see them. */
    @Override
    public Sink createSink(ConnectorContext context) {
        InMemoryData.DataSet dataSet = dataSet(context);
        DeliveryGuarantee guarantee = SinkOptions.deliveryGuarantee(context.options(), DELIVERY_GUARANTEE);
        String writerId = context.consumerId().orElse(context.objectName());
        return () -> new MemorySinkWriter(dataSet, guarantee, writerId);
    }

    private static InMemoryData.DataSet dataSet(ConnectorContext context) {
        String name = context.options().string(DATA);
        return InMemoryData.dataSet(name).orElseThrow(() -> new WeirException(ErrorCode.VALIDATION_ERROR,
                context.describe() + ": no in-memory data set '" + name + "' (option 'data'). Register it with "
                        + "InMemoryData.register(...) first; registered: " + InMemoryData.names()));
    }
}
