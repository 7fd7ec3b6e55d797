package io.weir.spi.connector;

import io.weir.spi.option.ConfigOption;

import java.util.List;
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
}
