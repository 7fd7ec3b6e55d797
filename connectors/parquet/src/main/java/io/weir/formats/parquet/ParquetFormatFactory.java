package io.weir.formats.parquet;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.format.FileFormat;
import io.weir.spi.format.FormatFactory;
import io.weir.spi.format.RecordDecoder;
import io.weir.spi.format.RecordEncoder;
import io.weir.spi.option.ConfigOption;
import io.weir.spi.option.OptionValues;
import io.weir.spi.type.DataType;

import java.util.List;
import java.util.Optional;

/**
 * {@code 'format' = 'parquet'}: Apache Parquet files, written and read whole by the file connector
 * (see {@link FileFormat}); not a record format, so connectors that carry records (Kafka, sockets)
 * cannot use it. Columns are matched to the file's columns by name; see {@link ParquetSchemas} for the
 * type mapping.
 */
public final class ParquetFormatFactory implements FormatFactory {
    public static final String NAME = "parquet";
    public static final ConfigOption ROW_GROUP_SIZE = ConfigOption.string("parquet.row-group-size",
            "Sink: write a row group once this much row data is buffered, e.g. '128 MB' or a number of bytes; "
                    + "larger groups compress and scan better and take more memory per writer").withDefault("128 MB");
    public static final ConfigOption COMPRESSION = ConfigOption.oneOf("parquet.compression", List.of("snappy", "zstd", "gzip", "none"),
            "Sink: how pages are compressed (zstd: smaller files than snappy at a little more CPU; gzip: for readers that know no other)").withDefault("snappy");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Apache Parquet files (file connector only), read with column projection";
    }

    @Override
    public List<ConfigOption> options() {
        return List.of(ROW_GROUP_SIZE, COMPRESSION);
    }

    @Override
    public void validate(List<DataType.Field> schema, OptionValues options) {
        for (DataType.Field field : schema) {
            ParquetSchemas.type(field.name(), field.type(), org.apache.parquet.schema.Type.Repetition.OPTIONAL);
        }
        ParquetSettings.of(options);
    }

    @Override
    public RecordDecoder createDecoder(List<DataType.Field> schema, OptionValues options) {
        throw notRecords();
    }

    @Override
    public RecordEncoder createEncoder(List<DataType.Field> schema, OptionValues options) {
        throw notRecords();
    }

    @Override
    public Optional<FileFormat> fileFormat(List<DataType.Field> schema, OptionValues options) {
        return Optional.of(new ParquetFileFormat(schema, ParquetSettings.of(options)));
    }

    private static WeirException notRecords() {
        return new WeirException(ErrorCode.NOT_SUPPORTED, "Format 'parquet' stores whole files and can only be used with "
                + "'connector' = 'file'; use 'format' = 'json' or 'csv' for record streams");
    }
}
