package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ConnectorContext;
import io.weir.spi.connector.SplitOffsets;
import io.weir.spi.error.RecordErrorHandler;
import io.weir.spi.format.LineFramer;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads files one after the other in name order; each file is a split, created when the file is
 * opened and finished at its end. A bounded reader takes the files present when it is created; a
 * watching reader lists the directory at its first poll and then at most once per
 * {@code 'watch.interval'} (by the context clock), queueing files it has not seen. A poll reads at most
 * {@code maxRows} rows and never waits.
 *
 * <p>Positions: each row carries the position of its record in the file ({@link RecordReader}: a byte
 * position for most charsets), and {@link #offsets()} gives per file (split name: its absolute path)
 * the position after the records read so far, the end for a file read to its end. A reader created
 * with start offsets reads each file it lists from its start offset, files not listed there from the
 * beginning; start offsets of files it does not find are dropped. Committing positions does nothing:
 * the file source keeps none of its own, a query's checkpoint holds them.
 */
final class FileSourceReader extends FileQueueReader<RecordReader> {
    private static final Logger LOG = LoggerFactory.getLogger(FileSourceReader.class);

    private final RecordDecoder decoder;
    private final LineFramer framer;
    private final RecordErrorHandler errors;
    private final BatchBuilder scratch;

    /**
     * Where the current record is, for error messages: one object for the reader's life (measured: a
     * lambda per record was about a tenth of the bytes a query thread allocated reading Nexmark JSON files).
     */
    private final Supplier<String> currentRecordLocation = () -> "file " + currentFile() + " " + current().recordLocation();

    /** A reader of every file from its beginning. */
    FileSourceReader(ConnectorContext context, FileSettings settings) {
        this(context, settings, SplitOffsets.of(Map.of()));
    }

    /** A reader of every file from its offset in {@code start}, or its beginning when not listed there. */
    FileSourceReader(ConnectorContext context, FileSettings settings, SplitOffsets start) {
        this(context, settings, start, false);
    }

    /**
     * A reader of every file from its offset in {@code start}, or its beginning when not listed there;
     * with {@code onlyStart}, of only the files listed in {@code start}.
     */
    FileSourceReader(ConnectorContext context, FileSettings settings, SplitOffsets start, boolean onlyStart) {
        super(context, settings, start, onlyStart, RecordReader::position);
        this.scratch = new BatchBuilder(context.readerRowType(), 1);
        this.decoder = context.createDecoder();
        this.framer = context.createLineFramer();
        this.errors = context.errorHandler();
    }

    @Override
    public int poll(BatchBuilder out, int maxRows) {
        checkOpen();
        int added = 0;
        // Records that yield no row (blank, header, skipped) still cost I/O: bound them too, so a poll stays short.
        long examinedLimit = maxRows * 4L + 1024;
        long examined = 0;
        try {
            while (added < maxRows && examined++ < examinedLimit) {
                if (current() == null && !openNext()) {
                    break;
                }
                RecordReader reader = current();
                boolean decoded;
                if (reader.readsBytes()) {
                    // UTF-8 lines go to the decoder as bytes: no String per record
                    if (!reader.nextBytes()) {
                        finishCurrent(reader.position());
                        continue;
                    }
                    out.setOffset(reader.recordStart());
                    decoded = errors.decodeInto(decoder, reader.bytes(), reader.bytesStart(), reader.bytesEnd(), out,
                            currentSplit(), currentRecordLocation);
                } else {
                    String record = reader.next();
                    if (record == null) {
                        finishCurrent(reader.position());
                        continue;
                    }
                    out.setOffset(reader.recordStart());
                    decoded = errors.decodeInto(decoder, record, out, currentSplit(), currentRecordLocation);
                }
                if (decoded) {
                    added++;
                }
            }
        } catch (IOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot read file '" + currentFile() + "': "
                    + e.getMessage(), e);
        } finally {
            errors.recordsRead(added);
        }
        return added;
    }

    @Override
    protected RecordReader open(Path file, long from) throws NoSuchFileException {
        decoder.startSplit();
        RecordReader reader;
        try {
            if (from > 0) {
                primeDecoder(file, from);
            }
            reader = RecordReader.open(file, settings.charset(), framer, from);
        } catch (NoSuchFileException e) {
            throw e; // skipped by the caller
        } catch (IOException e) {
            throw new WeirException(ErrorCode.SOURCE_ERROR, context.describe() + ": cannot open file '" + file + "': "
                    + e.getMessage(), e);
        }
        if (reader.shorterThanStart()) {
            LOG.warn("{}: file {} is shorter than the position {} it was read to before; it was changed after it was "
                    + "read and is not read again", context.describe(), file, from);
        }
        return reader;
    }

    /**
     * Gives the decoder the file's records before its first row, without rows, so that per-file state
     * they set (a CSV header) is there when reading resumes at {@code from}. Their errors were reported
     * when they were first read.
     */
    private void primeDecoder(Path file, long from) throws IOException {
        try (RecordReader head = RecordReader.open(file, settings.charset(), framer, 0)) {
            String record;
            while (head.position() < from && (record = head.next()) != null) {
                boolean row;
                try {
                    row = decoder.decode(record, scratch);
                } catch (RecordDecodeException e) {
                    row = false;
                }
                scratch.abortRow();
                if (row) {
                    return;
                }
            }
        }
    }
}
