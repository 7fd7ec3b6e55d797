package io.weir.spi.connector;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.error.ErrorPolicy;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A connector, its format and the validated WITH options of one stream or table; made by
 * {@link ConnectorResolver}.
 */
public record ResolvedConnector(ConnectorFactory connector, Optional<FormatFactory> format, OptionValues options) {
    public ResolvedConnector {
        requireNonNull(connector, "connector is null");
        requireNonNull(format, "format is null");
        requireNonNull(options, "options is null");
    }

    public ErrorPolicy errorPolicy() {
        return CommonOptions.errorPolicy(options);
    }

    public ConnectorContext context(String objectName, ObjectKind kind, List<DataType.Field> schema,
                                    RecordErrorHandler errorHandler, Path dataDirectory, InstantSource clock) {
        return new ConnectorContext(objectName, kind, schema, options, format, errorHandler, dataDirectory, clock);
    }

    /**
     * The checks of {@code CREATE}: the connector can back this kind of object, the format can carry
     * the schema, and the connector accepts schema and options.
     */
    public void validate(ConnectorContext context) {
        Capability needed = context.kind() == ObjectKind.STREAM ? Capability.STREAM_SOURCE : Capability.TABLE_SOURCE;
        boolean sinkStream = context.kind() == ObjectKind.STREAM && connector.capabilities().contains(Capability.SINK);
        if (!connector.capabilities().contains(needed) && !sinkStream) {
            ObjectKind other = context.kind() == ObjectKind.STREAM ? ObjectKind.TABLE : ObjectKind.STREAM;
            Capability otherCapability = other == ObjectKind.STREAM ? Capability.STREAM_SOURCE : Capability.TABLE_SOURCE;
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": connector '" + connector.name()
                    + "' cannot back a " + context.kind().name()
                    + (connector.capabilities().contains(otherCapability) ? "; use CREATE " + other.name() + " instead" : ""));
        }
        if (context.schema().isEmpty()) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + " has no columns");
        }
        format.ifPresent(f -> f.validate(context.schema(), context.options()));
        connector.validate(context);
    }
}
