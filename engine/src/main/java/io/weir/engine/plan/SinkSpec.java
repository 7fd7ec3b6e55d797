package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Everything the engine needs to write to a stream declared as a sink: its connector options (as
 * registered, resolved again by the engine), its physical columns, which the rows written have, and
 * its declared {@code PRIMARY KEY} (empty for none), by which a sink such as {@code jdbc} upserts.
 */
public record SinkSpec(String objectName, Map<String, String> options, List<DataType.Field> schema,
                       List<String> primaryKey) {
    /** A sink without a primary key. */
    public SinkSpec(String objectName, Map<String, String> options, List<DataType.Field> schema) {
        this(objectName, options, schema, List.of());
    }

    public SinkSpec {
        requireNonNull(objectName, "objectName is null");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(options, "options is null")));
        schema = List.copyOf(requireNonNull(schema, "schema is null"));
        primaryKey = List.copyOf(requireNonNull(primaryKey, "primaryKey is null"));
    }
}
