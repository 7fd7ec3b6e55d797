package io.weir.formats.raw;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.RowWriter;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.format.RecordEncoder;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;
import io.weir.spi.type.TypeKind;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code 'format' = 'raw'}: the whole record as one value, for lines of plain text (a log line, a
 * {@code nc} session) or opaque bytes. The stream has exactly one physical column, VARCHAR (the record
 * as UTF-8 text) or VARBINARY (its bytes). Parse the text further in SQL, e.g. with
 * {@code SPLIT_PART} or {@code REGEXP_EXTRACT}.
 */
public final class RawFormatFactory implements FormatFactory {
    public static final String NAME = "raw";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "The whole record as one VARCHAR (text) or VARBINARY (bytes) column, e.g. lines of plain text";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of();
    }

    @Override
    public void validate(List<DataType.Field> schema, OptionValues options) {
        if (schema.size() != 1 || !isText(schema.get(0).type()) && schema.get(0).type().kind() != TypeKind.VARBINARY) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, "Format 'raw' reads each record into one column of type"
                    + " VARCHAR or VARBINARY, e.g. (line VARCHAR); this schema has " + schema.size() + " column(s)"
                    + (schema.size() == 1 ? " of type " + schema.get(0).type().sqlString() : ""));
        }
    }

    private static boolean isText(DataType type) {
        return type.kind() == TypeKind.VARCHAR || type.kind() == TypeKind.CHAR;
    }

    @Override
    public RecordDecoder createDecoder(List<DataType.Field> schema, OptionValues options) {
        validate(schema, options);
        boolean text = isText(schema.get(0).type());
        return new RecordDecoder() {
            @Override
            public boolean decode(String record, RowWriter out) {
                out.setObject(0, text ? record : record.getBytes(StandardCharsets.UTF_8));
                return true;
            }

            @Override
            public boolean decode(byte[] bytes, int offset, int length, RowWriter out) {
                out.setObject(0, text ? new String(bytes, offset, length, StandardCharsets.UTF_8)
                        : Arrays.copyOfRange(bytes, offset, offset + length));
                return true;
            }
        };
    }

    @Override
    public RecordEncoder createEncoder(List<DataType.Field> schema, OptionValues options) {
        validate(schema, options);
        return new RecordEncoder() {
            @Override
            public byte[] encode(Batch batch, int row) {
                Object value = batch.value(0, row);
                if (value == null) {
                    return new byte[0];
                }
                return value instanceof byte[] bytes ? bytes : value.toString().getBytes(StandardCharsets.UTF_8);
            }
        };
    }
}
