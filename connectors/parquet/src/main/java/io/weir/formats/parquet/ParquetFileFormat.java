package io.weir.formats.parquet;

import io.weir.spi.format.FileFormat;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Parquet files of one schema, written by {@link ParquetRowWriter} and read by {@link ParquetRowReader}. */
final class ParquetFileFormat implements FileFormat {
    private final List<DataType.Field> schema;
    private final ParquetSettings settings;

    ParquetFileFormat(List<DataType.Field> schema, ParquetSettings settings) {
        this.schema = List.copyOf(requireNonNull(schema, "schema is null"));
        this.settings = requireNonNull(settings, "settings is null");
    }

    @Override
    public FileWriter createWriter(OutputStream out, String fileDescription) throws IOException {
        return new ParquetRowWriter(schema, settings, new StreamOutputFile(out, fileDescription));
    }

    @Override
    public FileReader openReader(Path file, Projection projection, long startRow) throws IOException {
        return ParquetRowReader.open(file, schema, projection, startRow);
    }

    @Override
    public List<DataType.Field> schema() {
        return schema;
    }
}
