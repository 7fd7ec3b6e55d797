package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.MetadataColumn;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * The record metadata a Kafka source fills into {@code METADATA FROM 'key'} columns, and the types
 * a column may declare for each key (the value is converted on read).
 */
enum KafkaMetadata {
    TOPIC("topic", DataType.varchar(), EnumSet.of(TypeKind.VARCHAR, TypeKind.CHAR)),
    PARTITION("partition", DataType.of(TypeKind.INTEGER), EnumSet.of(TypeKind.INTEGER, TypeKind.BIGINT, TypeKind.DECIMAL,
            TypeKind.DOUBLE, TypeKind.VARCHAR)),
    OFFSET("offset", DataType.of(TypeKind.BIGINT), EnumSet.of(TypeKind.BIGINT, TypeKind.DECIMAL, TypeKind.DOUBLE, TypeKind.VARCHAR)),
    /** Epoch milliseconds; NULL for records without a timestamp. VARCHAR gives ISO-8601 text in UTC. */
    TIMESTAMP("timestamp", DataType.timestamp(3), EnumSet.of(TypeKind.TIMESTAMP, TypeKind.BIGINT, TypeKind.VARCHAR)),
    TIMESTAMP_TYPE("timestamp-type", DataType.varchar(), EnumSet.of(TypeKind.VARCHAR, TypeKind.CHAR)),
    /** The raw key bytes; VARCHAR decodes them as UTF-8. */
    KEY("key", DataType.of(TypeKind.VARBINARY), EnumSet.of(TypeKind.VARBINARY, TypeKind.VARCHAR, TypeKind.CHAR)),
    /** Header name to value; a name that occurs more than once keeps its last value. */
    HEADERS("headers", DataType.map(DataType.varchar(), DataType.of(TypeKind.VARBINARY)), EnumSet.of(TypeKind.MAP));

    private final String key;
    private final DataType type;
    private final Set<TypeKind> allowedKinds;

    KafkaMetadata(String key, DataType type, Set<TypeKind> allowedKinds) {
        this.key = key;
        this.type = type;
        this.allowedKinds = allowedKinds;
    }

    String key() {
        return key;
    }

    DataType type() {
        return type;
    }

    /** Every key with its natural type, for {@link KafkaConnectorFactory#metadata()}. */
    static Map<String, DataType> all() {
        Map<String, DataType> all = new LinkedHashMap<>();
        for (KafkaMetadata metadata : values()) {
            all.put(metadata.key, metadata.type);
        }
        return all;
    }

    static List<String> keys() {
        return Arrays.stream(values()).map(KafkaMetadata::key).toList();
    }

    /**
     * Checks every metadata column of the context: a known key and a type its value converts to.
     *
     * @return one filler per metadata column, in the context's order
     */
    static List<Filler> fillers(ConnectorContext context) {
        List<Filler> fillers = new ArrayList<>();
        for (MetadataColumn column : context.metadataColumns()) {
            KafkaMetadata metadata = Arrays.stream(values())
                    .filter(m -> m.key.equalsIgnoreCase(column.key().trim()))
                    .findFirst()
                    .orElseThrow(() -> new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": column '" + column.name()
                            + "' reads METADATA FROM '" + column.key() + "', which the Kafka connector does not have; available keys: '"
                            + String.join("', '", keys()) + "'"));
            metadata.checkType(context, column);
            fillers.add(new Filler(column, metadata, metadata.converter(column.type())));
        }
        return List.copyOf(fillers);
    }

    private void checkType(ConnectorContext context, MetadataColumn column) {
        DataType declared = column.type();
        boolean ok = allowedKinds.contains(declared.kind());
        if (ok && declared.kind() == TypeKind.MAP) {
            TypeKind keyKind = declared.keyType().kind();
            TypeKind valueKind = declared.valueType().kind();
            ok = (keyKind == TypeKind.VARCHAR || keyKind == TypeKind.CHAR)
                    && (valueKind == TypeKind.VARBINARY || valueKind == TypeKind.VARCHAR || valueKind == TypeKind.CHAR);
        }
        if (!ok) {
            String allowed = this == HEADERS ? "MAP<VARCHAR, VARBINARY> or MAP<VARCHAR, VARCHAR>"
                    : String.join(", ", allowedKinds.stream().map(TypeKind::sqlName).toList());
            throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": column '" + column.name() + "' of type "
                    + declared.sqlString() + " cannot hold METADATA FROM '" + key + "' (a " + type.sqlString()
                    + " value); declare it as " + allowed);
        }
    }

    /** The raw value of this metadata in {@code record}: String, Integer, Long, byte[] or Map of String to byte[]. */
    Object extract(ConsumerRecord<byte[], ?> record) {
        return switch (this) {
            case TOPIC -> record.topic();
            case PARTITION -> record.partition();
            case OFFSET -> record.offset();
            // Kafka reports a record without a timestamp as -1 (NO_TIMESTAMP).
            case TIMESTAMP -> record.timestamp() < 0 ? null : record.timestamp();
            case TIMESTAMP_TYPE -> record.timestampType().toString();
            case KEY -> record.key();
            case HEADERS -> {
                Map<String, byte[]> headers = new LinkedHashMap<>();
                for (Header header : record.headers()) {
                    headers.put(header.key(), header.value());
                }
                yield headers;
            }
        };
    }

    /** From the raw value to the representation of {@code target}; checked compatible by {@link #checkType}. */
    private Function<Object, Object> converter(DataType target) {
        TypeKind kind = target.kind();
        if (kind == TypeKind.VARCHAR || kind == TypeKind.CHAR) {
            return value -> value == null ? null : ValueConversion.string(target, text(value));
        }
        if (kind == TypeKind.MAP) {
            DataType valueType = target.valueType();
            boolean textValues = valueType.kind() != TypeKind.VARBINARY;
            return value -> {
                if (!textValues) {
                    return ValueConversion.fromJava(target, value);
                }
                Map<String, String> texts = new LinkedHashMap<>();
                ((Map<?, ?>) value).forEach((name, bytes) -> texts.put((String) name, bytes == null ? null : text(bytes)));
                return ValueConversion.fromJava(target, texts);
            };
        }
        return value -> ValueConversion.fromJava(target, value);
    }

    private String text(Object value) {
        if (value instanceof byte[] bytes) {
            return new String(bytes, StandardCharsets.UTF_8);
        }
        if (this == TIMESTAMP) {
            return Instant.ofEpochMilli((Long) value).toString();
        }
        return value.toString();
    }

    /** Fills one metadata column. */
    record Filler(MetadataColumn column, KafkaMetadata metadata, Function<Object, Object> converter) {
        Filler {
            requireNonNull(column, "column is null");
            requireNonNull(metadata, "metadata is null");
            requireNonNull(converter, "converter is null");
        }

        /**
         * The column's value for {@code record}, in its representation.
         *
         * @throws ConversionException when the value does not fit the declared type (e.g. a VARCHAR(3))
         */
        Object value(ConsumerRecord<byte[], ?> record) {
            Object raw = metadata.extract(record);
            return raw == null ? null : converter.apply(raw);
        }
    }
}
