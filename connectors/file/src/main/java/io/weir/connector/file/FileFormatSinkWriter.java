package io.weir.connector.file;

import io.weir.spi.batch.Batch;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.format.FileFormat;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.time.InstantSource;

/**
 * The file sink for a whole-file format such as Parquet ({@link FileFormat}): each part file is one
 * file of the format, written by the format's writer and completed (its footer written, forced to
 * disk) when it reaches {@code 'sink.rolling-policy.file-size'} (as the writer estimates it, buffered
 * rows included) or has been open for {@code 'sink.rolling-policy.rollover-interval'}. Part files are
 * named, hidden while in progress and published by {@link PartFiles} exactly as for record formats
 * (see {@link RollingPartWriter}): a checkpoint completes the open part, so every committed file is whole.
 *
 * <p>Unlike a record format, rows buffered in a Parquet row group are only durable once the file is
 * completed: with exactly-once at checkpoints, with at-least-once at every {@link #flush()}.
 */
final class FileFormatSinkWriter extends RollingPartWriter {
    private final FileFormat format;

    /** The open part's writer, null between parts. */
    private FileFormat.FileWriter writer;
    private long rows;

    FileFormatSinkWriter(String describedObject, FileSinkSettings settings, FileFormat format, InstantSource clock, PartFiles parts) {
        super(describedObject, settings, clock, parts);
        this.format = format;
    }

    @Override
    protected void writeRow(Batch batch, int row) throws IOException {
        writer.write(batch, row);
        rows++;
    }

    @Override
    protected long partSize() {
        return writer.estimatedSize();
    }

    /** The Parquet writer reports failures of the file unchecked too. */
    @Override
    protected RuntimeException uncheckedFailure(String action, RuntimeException e) {
        return failure(action, e);
    }

    /**
     * Completes the file when it is due. At-least-once also completes it at every flush: rows inside an
     * open Parquet file cannot be forced on their own, and the guarantee needs flushed rows on disk
     * (one file per flushed micro-batch with rows; exactly-once, the default, completes files only at
     * checkpoints).
     */
    @Override
    public void flush() {
        checkOpen();
        if (partOpen() && (parts.guarantee() == DeliveryGuarantee.AT_LEAST_ONCE || rollDue())) {
            try {
                completeFile();
            } catch (IOException | RuntimeException e) {
                throw failure("complete file", e);
            }
        }
    }

    @Override
    protected void openFile() throws IOException {
        FileChannel channel = openPart();
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024) {
            @Override
            public void close() throws IOException {
                flush(); // the channel is closed by completePart, after it is forced
            }
        };
        try {
            writer = format.createWriter(out, part().toString());
        } catch (IOException | RuntimeException e) {
            abandonPart();
            throw e;
        }
        rows = 0;
    }

    /** Writes the file's last row group and footer, then forces it, hands it to {@link PartFiles} and closes it. */
    @Override
    protected void completeFile() throws IOException {
        FileFormat.FileWriter finishing = writer;
        writer = null;
        try {
            finishing.close();
        } catch (IOException | RuntimeException e) {
            abandonPart();
            throw e;
        }
        completePart(rows + " rows");
    }
}
