package io.weir.spi.connector;

import io.weir.spi.type.DataType;

import static java.util.Objects.requireNonNull;

/**
 * A column filled from a record's metadata rather than its payload:
 * {@code col TYPE METADATA FROM 'key'}.
 *
 * @param name the column name as declared
 * @param key one of the connector's {@link ConnectorFactory#metadata()} keys
 * @param type the column's declared type; the connector converts the metadata value to it
 */
public record MetadataColumn(String name, String key, DataType type) {
    public MetadataColumn {
        requireNonNull(name, "name is null");
        requireNonNull(key, "key is null");
        requireNonNull(type, "type is null");
    }
}
