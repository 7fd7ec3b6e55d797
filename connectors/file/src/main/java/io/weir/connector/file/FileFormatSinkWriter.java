package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.format.FileFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The file sink for a whole-file format such as Parquet ({@link FileFormat}): each part file is one
 * file of the format, written by the format's writer and completed (its footer written, forced to
 * disk) when it reaches {@code 'sink.rolling-policy.file-size'} (as the writer estimates it, buffered
 * rows included) or has been open for {@code 'sink.rolling-policy.rollover-interval'}. Part files are
 * named, hidden while in progress and published by {@link PartFiles} exactly as for record formats
 * (see {@link FileSinkWriter}): a checkpoint completes the open part, so every committed file is whole.
 *
 * <p>Unlike a record format, rows buffered in a Parquet row group are only durable once the file is
 * completed: with exactly-once at checkpoints, with at-least-once at every {@link #flush()}.
 */
final class FileFormatSinkWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FileFormatSinkWriter.class);

    private final String describedObject;
    private final FileSinkSettings settings;
    private final FileFormat format;
    private final InstantSource clock;
    private final PartFiles parts;

    private FileChannel channel;
    private FileFormat.FileWriter writer;
    private Path part;
    private long fileOpenedMillis;
    private long rows;
    private boolean closed;

    FileFormatSinkWriter(String describedObject, FileSinkSettings settings, FileFormat format, InstantSource clock, PartFiles parts) {
        this.describedObject = describedObject;
        this.settings = settings;
        this.format = format;
        this.clock = clock;
        this.parts = parts;
    }

    @Override
    public void write(Batch batch) {
        checkOpen();
        try {
            for (int row = 0; row < batch.rowCount(); row++) {
                if (writer == null) {
                    openFile();
                }
                writer.write(batch, row);
                rows++;
                if (writer.estimatedSize() >= settings.maxFileSize()) {
                    completeFile();
                }
            }
            if (writer != null && intervalElapsed()) {
                completeFile();
            }
        } catch (IOException | RuntimeException e) {
            throw failure("write file", e);
        }
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
        if (writer != null && (parts.guarantee() == DeliveryGuarantee.AT_LEAST_ONCE
                || writer.estimatedSize() >= settings.maxFileSize() || intervalElapsed())) {
            try {
                completeFile();
            } catch (IOException | RuntimeException e) {
                throw failure("complete file", e);
            }
        }
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return parts.guarantee();
    }

    /** Completes the open part (both guarantees: its rows are durable only once it is) and stages the parts. */
    @Override
    public byte[] prepareCommit(long checkpointId) {
        checkOpen();
        if (writer != null) {
            try {
                completeFile();
            } catch (IOException | RuntimeException e) {
                throw failure("complete file", e);
            }
        }
        try {
            return parts.prepare(checkpointId);
        } catch (IOException e) {
            throw failure("prepare checkpoint " + checkpointId + " in", e);
        }
    }

    @Override
    public void commit(long checkpointId) {
        checkOpen();
        try {
            parts.commit(checkpointId);
        } catch (IOException e) {
            throw failure("publish the part files of checkpoint " + checkpointId + " in", e);
        }
    }

    @Override
    public boolean recover(Optional<PreparedCommit> newest) {
        checkOpen();
        try {
            return parts.recover(newest);
        } catch (IOException e) {
            throw failure("recover the part files of the last checkpoint in", e);
        }
    }

    /** As {@link FileSinkWriter#close()}: at-least-once completes the open file, exactly-once leaves it hidden. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (writer == null) {
            return;
        }
        if (parts.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            closeQuietly();
            return;
        }
        try {
            completeFile();
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: cannot complete file {}; its rows stay in the hidden in-progress file", describedObject, part, e);
            closeQuietly();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
    }

    private boolean intervalElapsed() {
        return clock.millis() - fileOpenedMillis >= settings.rolloverInterval().toMillis();
    }

    private void openFile() throws IOException {
        part = parts.nextPart();
        try {
            channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            parts.released(part);
            throw e;
        }
        parts.opened(part, channel);
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 64 * 1024) {
            @Override
            public void close() throws IOException {
                flush(); // the channel is closed by completeFile, after it is forced
            }
        };
        try {
            writer = format.createWriter(out, part.toString());
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
        rows = 0;
        fileOpenedMillis = clock.millis();
        LOG.debug("{}: writing {}", describedObject, part);
    }

    /** Writes the file's last row group and footer, forces it, hands it to {@link PartFiles} and closes it. */
    private void completeFile() throws IOException {
        FileFormat.FileWriter finishing = writer;
        writer = null;
        try {
            finishing.close();
            channel.force(false);
            parts.completed(part);
        } finally {
            channel.close();
            channel = null;
            parts.released(part);
        }
        LOG.debug("{}: completed {} ({} rows)", describedObject, part, rows);
    }

    private void closeQuietly() {
        writer = null;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("{}: cannot close file {}", describedObject, part, e);
        }
        channel = null;
        parts.released(part);
    }

    private WeirException failure(String action, Exception e) {
        if (e instanceof WeirException weir) {
            return weir;
        }
        Path file = part == null ? settings.directory() : part;
        return new WeirException(ErrorCode.SINK_ERROR, describedObject + ": cannot " + action + " '" + file + "': "
                + e + ". Check that the directory of option 'path' is writable and the disk has space", e);
    }
}
