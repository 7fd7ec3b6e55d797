package io.weir.connector.kinesis;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.MetadataColumn;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;
import software.amazon.awssdk.services.kinesis.model.Record;

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

/** The record metadata a Kinesis source fills into {@code METADATA FROM 'key'} columns, and the types each may be declared as. */
enum KinesisMetadata {
    SHARD_ID("shard_id", DataType.varchar(), EnumSet.of(TypeKind.VARCHAR, TypeKind.CHAR)),
    /** 56 decimal digits, more than a DECIMAL holds: text. */
    SEQUENCE_NUMBER("sequence_number", DataType.varchar(), EnumSet.of(TypeKind.VARCHAR, TypeKind.CHAR)),
    /** When Kinesis accepted the record, in milliseconds; VARCHAR gives ISO-8601 text in UTC. */
    APPROXIMATE_ARRIVAL_TIMESTAMP("approximate_arrival_timestamp", DataType.timestamp(3),
            EnumSet.of(TypeKind.TIMESTAMP, TypeKind.BIGINT, TypeKind.VARCHAR)),
    PARTITION_KEY("partition_key", DataType.varchar(), EnumSet.of(TypeKind.VARCHAR, TypeKind.CHAR));

    private final String key;
    private final DataType type;
    private final Set<TypeKind> allowedKinds;

    KinesisMetadata(String key, DataType type, Set<TypeKind> allowedKinds) {
        this.key = key;
        this.type = type;
        this.allowedKinds = allowedKinds;
    }

    static Map<String, DataType> all() {
        Map<String, DataType> all = new LinkedHashMap<>();
        for (KinesisMetadata metadata : values()) {
            all.put(metadata.key, metadata.type);
        }
        return all;
    }

    /** Checks each metadata column of the context (a known key, a type its value converts to); one filler per column. */
    static List<Filler> fillers(ConnectorContext context) {
        List<Filler> fillers = new ArrayList<>();
        for (MetadataColumn column : context.metadataColumns()) {
            KinesisMetadata metadata = Arrays.stream(values())
                    .filter(m -> m.key.equalsIgnoreCase(column.key().trim()))
                    .findFirst()
                    .orElseThrow(() -> new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": column '"
                            + column.name() + "' reads METADATA FROM '" + column.key() + "', which the Kinesis connector does not"
                            + " have; available keys: '" + String.join("', '", all().keySet()) + "'"));
            if (!metadata.allowedKinds.contains(column.type().kind())) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": column '" + column.name()
                        + "' of type " + column.type().sqlString() + " cannot hold METADATA FROM '" + metadata.key + "' (a "
                        + metadata.type.sqlString() + " value); declare it as "
                        + String.join(", ", metadata.allowedKinds.stream().map(TypeKind::sqlName).toList()));
            }
            fillers.add(new Filler(column, metadata, metadata.converter(column.type())));
        }
        return List.copyOf(fillers);
    }

    private Object extract(Record record, String shardId) {
        return switch (this) {
            case SHARD_ID -> shardId;
            case SEQUENCE_NUMBER -> record.sequenceNumber();
            case APPROXIMATE_ARRIVAL_TIMESTAMP -> record.approximateArrivalTimestamp() == null ? null
                    : record.approximateArrivalTimestamp().toEpochMilli();
            case PARTITION_KEY -> record.partitionKey();
        };
    }

    private Function<Object, Object> converter(DataType target) {
        TypeKind kind = target.kind();
        if (kind == TypeKind.VARCHAR || kind == TypeKind.CHAR) {
            return value -> ValueConversion.string(target, this == APPROXIMATE_ARRIVAL_TIMESTAMP
                    ? Instant.ofEpochMilli((Long) value).toString() : value.toString());
        }
        return value -> ValueConversion.fromJava(target, value);
    }

    /** Fills one metadata column. */
    record Filler(MetadataColumn column, KinesisMetadata metadata, Function<Object, Object> converter) {
        Filler {
            requireNonNull(column, "column is null");
            requireNonNull(metadata, "metadata is null");
            requireNonNull(converter, "converter is null");
        }

        /** @throws io.weir.spi.type.ConversionException when the value does not fit the declared type */
        Object value(Record record, String shardId) {
            Object raw = metadata.extract(record, shardId);
            return raw == null ? null : converter.apply(raw);
        }
    }
}
