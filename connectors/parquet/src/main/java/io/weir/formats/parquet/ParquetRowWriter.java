package io.weir.formats.parquet;

import io.weir.spi.batch.Batch;
import io.weir.spi.format.FileFormat;
import io.weir.spi.type.DataType;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * Writes the rows of one Parquet file through parquet-hadoop's writer (without Hadoop: a plain
 * configuration and an {@link OutputFile} over the caller's stream). Rows are buffered into column
 * pages in memory and written a row group at a time; {@link #close()} writes the last group and the footer.
 */
final class ParquetRowWriter implements FileFormat.FileWriter {
    private final List<DataType.Field> schema;
    private final SimpleGroupFactory groups;
    private final ParquetWriter<Group> writer;

    ParquetRowWriter(List<DataType.Field> schema, ParquetSettings settings, OutputFile out) throws IOException {
        this.schema = schema;
        MessageType type = ParquetSchemas.messageType(schema);
        this.groups = new SimpleGroupFactory(type);
        this.writer = ExampleParquetWriter.builder(out)
                .withConf(new PlainParquetConfiguration())
                .withType(type)
                .withWriteMode(ParquetFileWriter.Mode.CREATE)
                .withCodecFactory(Codecs.INSTANCE)
                .withCompressionCodec(settings.compression())
                .withRowGroupSize(settings.rowGroupSize())
                .build();
    }

    @Override
    public void write(Batch batch, int row) throws IOException {
        Group group = groups.newGroup();
        for (int column = 0; column < schema.size(); column++) {
            Object value = batch.value(column, row);
            if (value != null) {
                add(group, column, schema.get(column).type(), value);
            }
        }
        writer.write(group);
    }

    /** Adds a non-null value (in Weir's representation, see {@link io.weir.spi.type.TypeKind}) as field {@code field}. */
    private static void add(Group group, int field, DataType type, Object value) {
        switch (type.kind()) {
            case BOOLEAN -> group.add(field, (Boolean) value);
            case TINYINT, SMALLINT, INTEGER, DATE, TIME -> group.add(field, (int) ((Number) value).longValue());
            case BIGINT, TIMESTAMP -> group.add(field, ((Number) value).longValue());
            case REAL -> group.add(field, ((Number) value).floatValue());
            case DOUBLE -> group.add(field, ((Number) value).doubleValue());
            case DECIMAL -> {
                BigDecimal unscaled = ((BigDecimal) value).setScale(type.scale(), RoundingMode.HALF_UP);
                switch (ParquetSchemas.decimalStorage(type.precision())) {
                    case INT32 -> group.add(field, unscaled.unscaledValue().intValueExact());
                    case INT64 -> group.add(field, unscaled.unscaledValue().longValueExact());
                    default -> group.add(field, Binary.fromConstantByteArray(unscaled.unscaledValue().toByteArray()));
                }
            }
            case CHAR, VARCHAR -> group.add(field, Binary.fromString(value.toString()));
            case VARBINARY -> group.add(field, Binary.fromConstantByteArray((byte[]) value));
            case ARRAY -> {
                Group list = group.addGroup(field);
                for (Object element : (List<?>) value) {
                    Group item = list.addGroup(0);
                    if (element != null) {
                        add(item, 0, type.elementType(), element);
                    }
                }
            }
            case MAP -> {
                Group map = group.addGroup(field);
                for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                    if (entry.getKey() == null) {
                        continue; // Parquet map keys are required; a NULL key cannot be stored
                    }
                    Group keyValue = map.addGroup(0);
                    add(keyValue, 0, type.keyType(), entry.getKey());
                    if (entry.getValue() != null) {
                        add(keyValue, 1, type.valueType(), entry.getValue());
                    }
                }
            }
            case ROW -> {
                Group row = group.addGroup(field);
                Object[] values = (Object[]) value;
                for (int i = 0; i < values.length; i++) {
                    if (values[i] != null) {
                        add(row, i, type.children().get(i), values[i]);
                    }
                }
            }
        }
    }

    @Override
    public long estimatedSize() {
        return writer.getDataSize();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
