package io.weir.spi.format;

import io.weir.spi.batch.Batch;
import io.weir.spi.batch.RowWriter;
import io.weir.spi.type.DataType;
import io.weir.spi.type.Projection;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * A format whose unit is a whole file rather than a record, such as Parquet (a footer written when
 * the file is closed, columns stored apart). File connectors write and read such formats through
 * this interface instead of {@link RecordEncoder} and {@link RecordDecoder}. Made by
 * {@link FormatFactory#fileFormat}; stateless and thread-safe.
 */
public interface FileFormat {
    /**
     * A writer of one file into {@code out}, which the caller opened (and will force and close
     * after {@link FileWriter#close()}).
     */
    FileWriter createWriter(OutputStream out, String fileDescription) throws IOException;

    /**
     * A reader of {@code file} that fills the columns {@code projection} reads (indexes into the
     * format's schema), skipping the first {@code startRow} rows.
     *
     * @throws DamagedFileException when the file is not of this format or its data is damaged (also from
     *         {@link FileReader#next}); the caller applies the stream's {@code 'on-error'} policy
     * @throws io.weir.spi.WeirException when the file cannot be read as the declared columns (a column of
     *         another type)
     */
    FileReader openReader(Path file, Projection projection, long startRow) throws IOException;

    /** Writes rows into one file. Not thread-safe. */
    interface FileWriter extends Closeable {
        /** Adds row {@code row} of {@code batch}, whose columns are the format's schema in order. */
        void write(Batch batch, int row) throws IOException;

        /** About how many bytes the file holds so far, including rows buffered in memory; for rolling. */
        long estimatedSize();

        /** Completes the file (its footer) without closing the caller's stream. */
        @Override
        void close() throws IOException;
    }

    /** Reads the rows of one file in order. Not thread-safe. */
    interface FileReader extends Closeable {
        /**
         * Writes the next row's columns into {@code out} without committing it.
         *
         * @return false at the end of the file
         */
        boolean next(RowWriter out) throws IOException;

        /** The number of rows read so far (including skipped ones): the index of the next row. */
        long position();
    }

    /** The schema a file format was made for. */
    List<DataType.Field> schema();
}
