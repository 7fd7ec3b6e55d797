package io.weir.connector.kafka;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.ColumnVector;
import io.weir.spi.batch.RowWriter;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.Formats;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.format.RecordEncoder;
import io.weir.spi.type.ConversionException;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;
import io.weir.spi.type.ValueConversion;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The record key of a stream with {@code 'key.fields'}: those columns, encoded with
 * {@code 'key.format'} (json or csv through the format SPI, or {@code raw}: the bytes of a single
 * VARCHAR or VARBINARY column).
 *
 * @param format the key format name
 * @param columns the indexes of the key columns in the physical schema, in {@code 'key.fields'} order
 * @param fields those columns
 */
record KeyFormat(String format, int[] columns, List<DataType.Field> fields) {
    static final String RAW = "raw";

    KeyFormat {
        requireNonNull(format, "format is null");
        columns = columns.clone();
        fields = List.copyOf(requireNonNull(fields, "fields is null"));
    }

    @Override
    public int[] columns() {
        return columns.clone();
    }

    /** Resolves and checks the key columns and the key format. */
    static KeyFormat of(ConnectorContext context, List<String> keyFields, String format) {
        int[] columns = new int[keyFields.size()];
        List<DataType.Field> fields = new ArrayList<>();
        for (int i = 0; i < keyFields.size(); i++) {
            String name = keyFields.get(i);
            int index = context.columnIndex(name).orElseThrow(() -> new WeirException(ErrorCode.VALIDATION_ERROR, context.describe()
                    + ": 'key.fields' names column '" + name + "', which does not exist; columns: "
                    + String.join(", ", context.schema().stream().map(DataType.Field::name).toList())));
            for (int j = 0; j < i; j++) {
                if (columns[j] == index) {
                    throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": 'key.fields' names column '"
                            + name + "' twice");
                }
            }
            columns[i] = index;
            fields.add(context.schema().get(index));
        }
        KeyFormat key = new KeyFormat(format, columns, fields);
        if (format.equals(RAW)) {
            TypeKind kind = fields.get(0).type().kind();
            if (fields.size() != 1 || !(kind == TypeKind.VARCHAR || kind == TypeKind.CHAR || kind == TypeKind.VARBINARY)) {
                throw new WeirException(ErrorCode.VALIDATION_ERROR, context.describe() + ": 'key.format' = 'raw' takes the key bytes "
                        + "as one VARCHAR or VARBINARY column; name exactly one such column in 'key.fields' or use 'key.format' = 'json'");
            }
        } else {
            key.factory().validate(fields, context.options());
        }
        return key;
    }

    private FormatFactory factory() {
        return Formats.find(format, KeyFormat.class.getClassLoader());
    }

    /** A decoder that writes the key's columns of a reader row. */
    KeyDecoder decoder(ConnectorContext context) {
        if (format.equals(RAW)) {
            DataType type = fields.get(0).type();
            int column = columns[0];
            return (bytes, out) -> {
                try {
                    out.setObject(column, type.kind() == TypeKind.VARBINARY ? ValueConversion.binary(type, bytes)
                            : ValueConversion.string(type, new String(bytes, StandardCharsets.UTF_8)));
                } catch (ConversionException e) {
                    throw RecordDecodeException.forField(fields.get(0).name(), e.getMessage());
                }
            };
        }
        RecordDecoder decoder = factory().createDecoder(fields, context.options());
        return (bytes, out) -> decoder.decode(bytes, 0, bytes.length, new Projection(out, columns, fields));
    }

    /** An encoder of the key columns of a sink row; returns null (no key) for a raw key that is NULL. */
    KeyEncoder encoder(ConnectorContext context) {
        if (format.equals(RAW)) {
            int column = columns[0];
            return (batch, row) -> {
                Object value = batch.value(column, row);
                return value == null ? null : value instanceof byte[] bytes ? bytes : value.toString().getBytes(StandardCharsets.UTF_8);
            };
        }
        RecordEncoder encoder = factory().createEncoder(fields, context.options());
        return (batch, row) -> encoder.encode(keyColumns(batch), row);
    }

    /** The key columns of {@code batch} as a batch of their own (same vectors, no copy). */
    private Batch keyColumns(Batch batch) {
        List<ColumnVector> vectors = new ArrayList<>(columns.length);
        for (int column : columns) {
            vectors.add(batch.column(column));
        }
        return Batch.of(fields, batch.rowCount(), vectors, new int[batch.rowCount()]);
    }

    /** Decodes a record key into the key columns of the current row. */
    @FunctionalInterface
    interface KeyDecoder {
        void decode(byte[] key, RowWriter out) throws RecordDecodeException;
    }

    /** Encodes the key columns of one row. */
    @FunctionalInterface
    interface KeyEncoder {
        byte[] encode(Batch batch, int row);
    }

    /** Lets a decoder of the key fields write into the matching columns of a full reader row. */
    private record Projection(RowWriter target, int[] columns, List<DataType.Field> rowType) implements RowWriter {
        @Override
        public void setNull(int column) {
            target.setNull(columns[column]);
        }

        @Override
        public void setLong(int column, long value) {
            target.setLong(columns[column], value);
        }

        @Override
        public void setDouble(int column, double value) {
            target.setDouble(columns[column], value);
        }

        @Override
        public void setBoolean(int column, boolean value) {
            target.setBoolean(columns[column], value);
        }

        @Override
        public void setObject(int column, Object value) {
            target.setObject(columns[column], value);
        }

        @Override
        public void commitRow() {
            throw new IllegalStateException("the reader commits the row");
        }

        @Override
        public void abortRow() {
            target.abortRow();
        }
    }
}
