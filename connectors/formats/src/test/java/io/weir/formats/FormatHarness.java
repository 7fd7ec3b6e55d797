package io.weir.formats;

import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.LineFramer;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.option.OptionValidator;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Decodes records the way connectors do: decode, then commit, or abort on failure. */
public final class FormatHarness {
    private final FormatFactory format;
    private final List<DataType.Field> schema;
    private final OptionValues options;
    private final RecordDecoder decoder;
    private final BatchBuilder builder;
    private final List<String> errors = new ArrayList<>();

    public FormatHarness(FormatFactory format, List<DataType.Field> schema, Map<String, String> options) {
        this.format = format;
        this.schema = schema;
        this.options = OptionValidator.validate("format '" + format.name() + "'", format.options(), options);
        format.validate(schema, this.options);
        this.decoder = format.createDecoder(schema, this.options);
        this.builder = new BatchBuilder(schema, 2);
    }

    public RecordDecoder decoder() {
        return decoder;
    }

    /** Decodes each record; failures are aborted and collected in {@link #errors()}. */
    public FormatHarness feed(String... records) {
        for (String record : records) {
            try {
                if (decoder.decode(record, builder)) {
                    builder.commitRow();
                }
            } catch (RecordDecodeException e) {
                builder.abortRow();
                errors.add(e.reason());
            }
        }
        return this;
    }

    /** Frames {@code lines} into records with the format's framer, then feeds them. */
    public FormatHarness feedLines(String... lines) {
        return feed(frame(format.createLineFramer(options), lines).toArray(String[]::new));
    }

    public static List<String> frame(LineFramer framer, String... lines) {
        List<String> records = new ArrayList<>();
        StringBuilder pending = null;
        for (String line : lines) {
            if (pending == null) {
                pending = new StringBuilder(line);
            } else {
                pending.append('\n').append(line);
            }
            if (framer.endsRecord(line)) {
                records.add(pending.toString());
                pending = null;
            }
        }
        if (pending != null) {
            records.add(pending.toString());
        }
        return records;
    }

    public List<Object[]> rows() {
        return builder.build().rows();
    }

    public List<String> errors() {
        return errors;
    }

    /** The single row of one record that must decode. */
    public static Object[] decodeOne(FormatFactory format, List<DataType.Field> schema, Map<String, String> options, String record) {
        FormatHarness harness = new FormatHarness(format, schema, options).feed(record);
        if (!harness.errors().isEmpty()) {
            throw new AssertionError("decode failed: " + harness.errors());
        }
        List<Object[]> rows = harness.rows();
        if (rows.size() != 1) {
            throw new AssertionError("expected one row, got " + rows.size());
        }
        return rows.get(0);
    }

    /** The reason one record fails with. */
    public static String decodeError(FormatFactory format, List<DataType.Field> schema, Map<String, String> options, String record) {
        FormatHarness harness = new FormatHarness(format, schema, options).feed(record);
        if (harness.errors().size() != 1) {
            throw new AssertionError("expected a decode error, got rows " + harness.rows().size());
        }
        return harness.errors().get(0);
    }

    public static DataType.Field field(String name, DataType type) {
        return new DataType.Field(name, type);
    }
}
