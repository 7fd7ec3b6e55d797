package io.weir.spi.connector;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.type.DataType;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A connector such as {@code file}, {@code datagen} or {@code memory}, discovered with
 * {@link java.util.ServiceLoader} (register implementations in
 * {@code META-INF/services/io.weir.spi.connector.ConnectorFactory}) and looked up by
 * {@link Connectors}. Implementations are stateless and thread-safe.
 *
 * <p>Life cycle: at {@code CREATE STREAM/TABLE} the planner validates the WITH options
 * ({@link ConnectorResolver}) — connector options, the format's options and {@link CommonOptions} —
 * then calls the format's {@code validate} and {@link #validate(ConnectorContext)}. At query time it
 * calls {@link #createSource(ConnectorContext)} and creates readers.
 */
public interface ConnectorFactory {
    /** The value users write in {@code 'connector' = '...'}; lower case. */
    String name();

    /** One sentence for docs and {@code SHOW CONNECTORS}. */
    String description();

    /** This connector's own options (not the common ones nor the format's). */
    List<ConfigOption> options();

    /** Whether {@code 'format'} applies and its default. */
    FormatUsage usesFormat();

    Set<Capability> capabilities();

    /**
     * Checks beyond option types: the schema against the options, paths, per-column options.
     *
     * @throws io.weir.spi.WeirException naming the option or column at fault
     */
    default void validate(ConnectorContext context) {
    }

    /** A source for one query; cheap (no I/O until readers poll). */
    Source createSource(ConnectorContext context);

    /**
     * The record metadata a source of this connector can fill into {@code METADATA FROM 'key'}
     * columns, with the type of each value (columns may declare any type the value casts to).
     */
    default Map<String, DataType> metadata() {
        return Map.of();
    }

    /**
     * Whether {@code METADATA FROM 'key'} is one this connector fills: by default a key of
     * {@link #metadata()}; a connector with a family of keys (one per record header,
     * {@code 'header.<name>'}) lists a pattern there and accepts each member here.
     */
    default boolean providesMetadata(String key) {
        return metadata().containsKey(key);
    }

    /**
     * A sink writing rows of {@code context.schema()}; only for connectors with {@link Capability#SINK}.
     * Cheap, no I/O until the writer is used.
     */
    default Sink createSink(ConnectorContext context) {
        throw new WeirException(ErrorCode.NOT_SUPPORTED, context.describe() + ": connector '" + name()
                + "' cannot be written to; INSERT INTO a stream whose connector is a sink (kafka, file, webhook)");
    }
}
