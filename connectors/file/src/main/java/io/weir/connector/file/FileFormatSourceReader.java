package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.OffsetReader;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.format.DamagedFileException;
import io.weir.spi.format.FileFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the files of a whole-file format such as Parquet ({@link FileFormat}) one after the other in
 * name order, each a split, decoding only the columns the query reads (the context's projection).
 * Bounded: the files present when the reader is created; with 'watch', also the files that appear in the
 * directory later (moved in complete, as for record formats: a whole file is read once). Positions are row numbers: each row carries
 * its index in its file, and {@link #offsets()} gives per file the number of rows read, so that a
 * persistent query resumes a file at the row after the last one its checkpoint covers. A file that is
 * not of the format, or damaged, is a bad record for the stream's 'on-error' policy (by default the query
 * fails with an error naming it).
 */
final class FileFormatSourceReader extends FileQueueReader<FileFormat.FileReader> {
    private static final Logger LOG = LoggerFactory.getLogger(FileFormatSourceReader.class);

    /** The position of a file given up as damaged: a resumed query does not read it again. */
    private static final long DONE = Long.MAX_VALUE;
    /** How much of a damaged file its dead letter keeps. */
    private static final int DEAD_LETTER_BYTES = 1024;

    private final FileFormat format;

    /**
     * A reader of every file from its row in {@code start}, or its first row when not listed there;
     * with {@code onlyStart}, of only the files listed in {@code start}.
     */
    FileFormatSourceReader(ConnectorContext context, FileSettings settings, FileFormat format, SplitOffsets start,
                           boolean onlyStart) {
        super(context, settings, start, onlyStart, FileFormat.FileReader::position);
        this.format = format;
    }

    /** A reader for the source's format: whole files (Parquet) or records (JSON, CSV). */
    static OffsetReader create(ConnectorContext context, FileSettings settings, SplitOffsets start, boolean onlyStart) {
        return context.fileFormat()
                .<OffsetReader>map(format -> new FileFormatSourceReader(context, settings, format, start, onlyStart))
                .orElseGet(() -> new FileSourceReader(context, settings, start, onlyStart));
    }

    /** The row the current file was opened at (0: from its start). */
    private long currentFrom;

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        checkOpen();
        int added = 0;
        try {
            while (added < maxRows) {
                if (current() == null && !openNext()) {
                    break;
                }
                FileFormat.FileReader reader = current();
                long row = reader.position();
                boolean read;
                try {
                    read = reader.next(out);
                } catch (DamagedFileException e) {
                    out.abortRow();
                    giveUp(currentFile(), e, row);
                    finishCurrent(DONE);
                    continue;
                }
                if (!read) {
                    out.abortRow();
                    if (currentFrom == 0) {
                        context.errorHandler().bytesRead(Files.size(currentFile())); // whole files: counted once read through
                    }
                    finishCurrent(reader.position());
                    continue;
                }
                out.setSplit(currentSplit());
                out.setOffset(row);
                out.commitRow();
                added++;
            }
            context.errorHandler().recordsRead(added);
        } catch (IOException e) {
            out.abortRow();
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot read file '" + currentFile() + "': "
                    + e.getMessage(), e);
        } catch (WeirException e) {
            out.abortRow();
            if (e.errorCode() == ErrorCode.RECORD_DECODE_ERROR) {
                throw e; // from the 'on-error' policy, which names the stream
            }
            throw new WeirException(e.errorCode(), context.describe() + ": " + e.getMessage(), e);
        }
        return added;
    }

    @Override
    protected FileFormat.FileReader open(Path file, long from) throws IOException {
        if (from == DONE) {
            return null; // given up as damaged before the checkpoint this reader started from
        }
        try {
            FileFormat.FileReader reader = format.openReader(file, context.projection(), from);
            currentFrom = from;
            return reader;
        } catch (DamagedFileException e) {
            giveUp(file, e, from);
            setPosition(file, DONE);
            return null;
        }
    }

    /**
     * A damaged file goes to the stream's 'on-error' policy as one bad record: the query fails, or the rest of
     * the file is skipped (dead-lettered with the file's first bytes). Rows read before the damage stay read.
     */
    private void giveUp(Path file, DamagedFileException e, long row) {
        context.errorHandler().handle("file " + file + (row > 0 ? " after row " + row : ""), firstBytes(file), e.getMessage());
        LOG.warn("{}: skipped the rest of damaged file {} after row {}: {}", context.describe(), file, row, e.reason());
    }

    private static byte[] firstBytes(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(DEAD_LETTER_BYTES);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
