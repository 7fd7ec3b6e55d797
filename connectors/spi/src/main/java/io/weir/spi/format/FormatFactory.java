package io.weir.spi.format;

import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;

import java.util.List;

/**
 * A record format such as {@code json} or {@code csv}, discovered with {@link java.util.ServiceLoader}
 * (register implementations in {@code META-INF/services/io.weir.spi.format.FormatFactory}) and
 * looked up by {@link Formats}. Implementations are stateless and thread-safe.
 */
public interface FormatFactory {
    /** The value users write in {@code 'format' = '...'}; lower case. */
    String name();

    /** One sentence for docs and {@code SHOW FORMATS}. */
    String description();

    /** The options this format accepts; every key starts with {@code name() + "."}, e.g. {@code csv.header}. */
    List<ConfigOption> options();

    /**
     * Checks that the format can carry every column type and that the options make sense together.
     *
     * @param options the validated options of the whole object (connector, format and common options)
     * @throws io.weir.spi.WeirException naming the column or option at fault
     */
    void validate(List<DataType.Field> schema, OptionValues options);

    /** A decoder for one reader; decoders are stateful and not thread-safe. */
    RecordDecoder createDecoder(List<DataType.Field> schema, OptionValues options);

    /**
     * A decoder that fills only the columns {@code projection} reads (indexes into {@code schema}) and
     * may leave the others NULL, skipping their fields without converting them. The default decodes
     * every column, which is always correct.
     */
    default RecordDecoder createDecoder(List<DataType.Field> schema, OptionValues options, Projection projection) {
        return createDecoder(schema, options);
    }

    /**
     * An encoder for one sink writer; encoders may be stateful and are not thread-safe.
     *
     * @throws io.weir.spi.WeirException when the format cannot be written
     */
    default RecordEncoder createEncoder(List<DataType.Field> schema, OptionValues options) {
        throw new io.weir.spi.WeirException(io.weir.spi.ErrorCode.NOT_SUPPORTED,
                "Format '" + name() + "' cannot be written; use 'format' = 'json' or 'csv' for a sink");
    }

    /**
     * This format as a whole-file format (see {@link FileFormat}), for formats such as Parquet that
     * are not a sequence of records; empty for record formats, which is the default.
     */
    default java.util.Optional<FileFormat> fileFormat(List<DataType.Field> schema, OptionValues options) {
        return java.util.Optional.empty();
    }

    /**
     * How lines group into records, for line-oriented connectors (file, socket). The default is one
     * record per line; CSV joins lines while a quoted field is open.
     */
    default LineFramer createLineFramer(OptionValues options) {
        return LineFramer.singleLine();
    }
}
