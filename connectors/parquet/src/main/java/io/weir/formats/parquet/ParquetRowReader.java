package io.weir.formats.parquet;

import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.batch.RowWriter;
import io.weir.spi.format.DamagedFileException;
import io.weir.spi.format.FileFormat;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;
import io.weir.spi.type.TypeKind;
import org.apache.parquet.HadoopFreeReadOptions;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.RecordMaterializer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the rows of one Parquet file a row group at a time, decoding only the requested columns:
 * the declared columns the projection reads, matched to the file's top-level columns by name (exact,
 * else ignoring case). A read column missing from the file is NULL. A file that is not Parquet, or
 * whose pages are damaged, throws a {@link DamagedFileException} naming the file.
 */
final class ParquetRowReader implements FileFormat.FileReader {
    private final Path file;
    private final ParquetFileReader reader;
    private final MessageColumnIO columnIO;
    private final RowMaterializer materializer;
    private final long rowCount;
    private long position;
    private long rowsLeftInGroup;
    private RecordReader<Object> records;

    private ParquetRowReader(Path file, ParquetFileReader reader, MessageColumnIO columnIO, RowMaterializer materializer) {
        this.file = file;
        this.reader = reader;
        this.columnIO = columnIO;
        this.materializer = materializer;
        this.rowCount = reader.getRecordCount();
    }

    static ParquetRowReader open(Path file, List<DataType.Field> schema, Projection projection, long startRow) throws IOException {
        ParquetFileReader reader;
        try {
            reader = ParquetFileReader.open(new LocalInputFile(file),
                    HadoopFreeReadOptions.create(Codecs.INSTANCE));
        } catch (IOException | RuntimeException e) {
            if (e instanceof java.nio.file.NoSuchFileException missing) {
                throw missing;
            }
            throw damaged(file, e);
        }
        try {
            MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
            List<Type> requested = new ArrayList<>();
            List<Converter> converters = new ArrayList<>();
            RowMaterializer materializer = new RowMaterializer(converters);
            for (int column = 0; column < schema.size(); column++) {
                if (!projection.reads(column)) {
                    continue;
                }
                DataType.Field field = schema.get(column);
                Type fileField = fileField(fileSchema, field.name());
                if (fileField == null) {
                    continue; // not in this file: NULL
                }
                int target = column;
                TypeKind.Representation representation = field.type().kind().representation();
                requested.add(fileField);
                converters.add(ValueConverters.converter(field.name(), fileField, field.type(),
                        value -> materializer.set(target, representation, value)));
            }
            MessageType requestedSchema = new MessageType(fileSchema.getName(), requested);
            reader.setRequestedSchema(requestedSchema);
            MessageColumnIO columnIO = requested.isEmpty() ? null : new ColumnIOFactory().getColumnIO(requestedSchema, fileSchema);
            ParquetRowReader rows = new ParquetRowReader(file, reader, columnIO, materializer);
            rows.skip(startRow, schema);
            return rows;
        } catch (RuntimeException | IOException e) {
            reader.close();
            if (e instanceof WeirException weir) {
                throw weir;
            }
            throw damaged(file, e);
        }
    }

    private static Type fileField(MessageType fileSchema, String name) {
        if (fileSchema.containsField(name)) {
            return fileSchema.getType(name);
        }
        for (Type type : fileSchema.getFields()) {
            if (type.getName().equalsIgnoreCase(name)) {
                return type;
            }
        }
        return null;
    }

    /** Skips whole row groups, then single rows, up to row {@code startRow}. */
    private void skip(long startRow, List<DataType.Field> schema) throws IOException {
        if (startRow <= 0) {
            return;
        }
        List<BlockMetaData> groups = reader.getRowGroups();
        int group = 0;
        while (group < groups.size() && position + groups.get(group).getRowCount() <= startRow) {
            position += groups.get(group).getRowCount();
            reader.skipNextRowGroup();
            group++;
        }
        BatchBuilder scratch = new BatchBuilder(schema, 1);
        while (position < startRow && next(scratch)) {
            scratch.abortRow();
        }
    }

    @Override
    public boolean next(RowWriter out) throws IOException {
        if (columnIO == null) { // no column read: only the row count matters
            if (position >= rowCount) {
                return false;
            }
            position++;
            return true;
        }
        try {
            while (rowsLeftInGroup == 0) {
                PageReadStore pages = reader.readNextRowGroup();
                if (pages == null) {
                    return false;
                }
                rowsLeftInGroup = pages.getRowCount();
                records = columnIO.getRecordReader(pages, materializer);
            }
            materializer.target(out);
            records.read();
        } catch (WeirException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw damaged(file, e);
        }
        rowsLeftInGroup--;
        position++;
        return true;
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    private static DamagedFileException damaged(Path file, Exception e) {
        if (e instanceof DamagedFileException damaged) {
            return damaged;
        }
        String reason = e.getMessage() == null ? e.toString()
                : e.getMessage().replaceAll("org\\.apache\\.parquet\\.io\\.LocalInputFile@[0-9a-f]+", "it");
        return new DamagedFileException(file, "not a readable Parquet file (" + reason + ")", e);
    }

    /** Writes each row's values straight into the reader's current {@link RowWriter}. */
    private static final class RowMaterializer extends RecordMaterializer<Object> {
        private final List<Converter> converters;
        private RowWriter out;
        private final GroupConverter root = new GroupConverter() {
            @Override
            public Converter getConverter(int fieldIndex) {
                return converters.get(fieldIndex);
            }

            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        };

        RowMaterializer(List<Converter> converters) {
            this.converters = converters;
        }

        void target(RowWriter out) {
            this.out = out;
        }

        void set(int column, TypeKind.Representation representation, Object value) {
            switch (representation) {
                case LONG -> out.setLong(column, (Long) value);
                case DOUBLE -> out.setDouble(column, (Double) value);
                case BOOLEAN -> out.setBoolean(column, (Boolean) value);
                case OBJECT -> out.setObject(column, value);
            }
        }

        @Override
        public Object getCurrentRecord() {
            return null;
        }

        @Override
        public GroupConverter getRootConverter() {
            return root;
        }
    }
}
