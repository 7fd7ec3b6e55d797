package io.weir.connector.flume;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.MetadataColumn;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.weir.connector.flume.FlumeConnectorFactory.HEADERS_KEY;
import static io.weir.connector.flume.FlumeConnectorFactory.HEADER_PREFIX;
import static java.util.Objects.requireNonNull;

/**
 * The metadata a Flume source fills: {@code 'headers'} (every header, a {@code MAP<VARCHAR, VARCHAR>})
 * and {@code 'header.<name>'} (one header's value, NULL when the event has none; a column of another
 * type than VARCHAR gets the value parsed as by CAST).
 */
final class FlumeMetadata {
    private FlumeMetadata() {
    }

    /** For {@link FlumeConnectorFactory#metadata()}: the map, and the pattern of the single-header keys. */
    static Map<String, DataType> all() {
        Map<String, DataType> all = new LinkedHashMap<>();
        all.put(HEADERS_KEY, DataType.map(DataType.varchar(), DataType.varchar()));
        all.put(HEADER_PREFIX + "<name>", DataType.varchar());
        return all;
    }

    static boolean provides(String key) {
        String normalized = key.trim().toLowerCase(Locale.ROOT);
        return normalized.equals(HEADERS_KEY) || (normalized.startsWith(HEADER_PREFIX) && key.trim().length() > HEADER_PREFIX.length());
    }

    /** One filler per metadata column of the context, in its order; checks keys and types. */
    static List<Filler> fillers(ConnectorContext context) {
        List<Filler> fillers = new ArrayList<>();
        for (MetadataColumn column : context.metadataColumns()) {
            String key = column.key().trim();
            if (key.equalsIgnoreCase(HEADERS_KEY)) {
                DataType type = column.type();
                boolean ok = type.kind() == TypeKind.MAP
                        && (type.keyType().kind() == TypeKind.VARCHAR || type.keyType().kind() == TypeKind.CHAR)
                        && (type.valueType().kind() == TypeKind.VARCHAR || type.valueType().kind() == TypeKind.CHAR);
                if (!ok) {
                    throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": column '" + column.name()
                            + "' of type " + type.sqlString() + " cannot hold METADATA FROM 'headers'; declare it as "
                            + "MAP<VARCHAR, VARCHAR>");
                }
                fillers.add(new Filler(column, null));
            } else if (provides(key)) {
                if (column.type().kind() == TypeKind.MAP || column.type().kind() == TypeKind.ARRAY
                        || column.type().kind() == TypeKind.ROW) {
                    throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": column '" + column.name()
                            + "' of type " + column.type().sqlString() + " cannot hold METADATA FROM '" + key
                            + "' (a header's text); declare it as VARCHAR or a type its text is cast to");
                }
                // Flume header names are case-sensitive: the name is kept as written.
                fillers.add(new Filler(column, key.substring(HEADER_PREFIX.length())));
            } else {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": column '" + column.name()
                        + "' reads METADATA FROM '" + column.key() + "', which the Flume connector does not have; available "
                        + "keys: 'headers', 'header.<name>'");
            }
        }
        return List.copyOf(fillers);
    }

    /**
     * Fills one metadata column.
     *
     * @param header the header's name, or null for the map of all
     */
    record Filler(MetadataColumn column, String header) {
        Filler {
            requireNonNull(column, "column is null");
        }

        /**
         * The column's value for an event with {@code headers}.
         *
         * @throws ConversionException when a header's text does not fit the declared type
         */
        Object value(Map<String, String> headers) {
            if (header == null) {
                return ValueConversion.fromJava(column.type(), headers);
            }
            String value = headers.get(header);
            return value == null ? null : ValueConversion.fromJava(column.type(), value);
        }
    }
}
