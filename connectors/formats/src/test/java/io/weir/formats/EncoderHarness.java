package io.weir.formats;

import io.weir.spi.batch.Batch;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.RecordEncoder;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Encodes rows with a format's encoder and decodes the records back with its decoder. */
public final class EncoderHarness {
    private EncoderHarness() {
    }

    public static RecordEncoder encoder(FormatFactory format, List<DataType.Field> schema, Map<String, String> options) {
        OptionValues values = OptionValidator.validate("format '" + format.name() + "'", format.options(), options);
        format.validate(schema, values);
        return format.createEncoder(schema, values);
    }

    /** Each row's record as text. */
    public static List<String> encode(FormatFactory format, List<DataType.Field> schema, Map<String, String> options,
                                      List<Object[]> rows) {
        RecordEncoder encoder = encoder(format, schema, options);
        Batch batch = Batch.of(schema, rows);
        List<String> records = new ArrayList<>();
        for (int row = 0; row < batch.rowCount(); row++) {
            records.add(new String(encoder.encode(batch, row), StandardCharsets.UTF_8));
        }
        return records;
    }

    /**
     * The rows read back from the records written as one file: the header (if any), then each
     * record, split into lines and framed again by the format's line framer as file readers do.
     */
    public static FormatHarness roundTrip(FormatFactory format, List<DataType.Field> schema, Map<String, String> options,
                                          List<Object[]> rows) {
        RecordEncoder encoder = encoder(format, schema, options);
        List<String> lines = new ArrayList<>();
        encoder.fileHeader().ifPresent(lines::add);
        for (String record : encode(format, schema, options, rows)) {
            lines.addAll(List.of(record.split("\n", -1)));
        }
        return new FormatHarness(format, schema, options).feedLines(lines.toArray(String[]::new));
    }
}
