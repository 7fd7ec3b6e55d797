package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.Optional;

/**
 * What the file sink's writers share: the part file being written, rolled by size and age (the
 * {@code 'sink.rolling-policy.*'} options), its completion and hand-over to {@link PartFiles}, which names the
 * parts and publishes them, and the checkpoint steps. How rows become the bytes of a part, and how many it holds,
 * is the subclass's: records, one per line ({@link FileSinkWriter}), or a whole-file format such as Parquet
 * ({@link FileFormatSinkWriter}).
 *
 * <p>Closing: at-least-once completes the open part, keeping rows written but not flushed, as a close after
 * a last write expects. Exactly-once leaves it hidden; what was not committed is written again after the
 * restart.
 */
abstract class RollingPartWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(RollingPartWriter.class);

    protected final String describedObject;
    protected final FileSinkSettings settings;
    protected final PartFiles parts;
    private final InstantSource clock;

    /** The open part's channel, null when no part is open. */
    private FileChannel channel;
    private Path part;
    private long partOpenedMillis;
    private boolean closed;

    RollingPartWriter(String describedObject, FileSinkSettings settings, InstantSource clock, PartFiles parts) {
        this.describedObject = describedObject;
        this.settings = settings;
        this.clock = clock;
        this.parts = parts;
    }

    /** Opens the next part ({@link #openPart}) and begins it: a header, a format's writer. */
    protected abstract void openFile() throws IOException;

    /** Writes row {@code row} of {@code batch} into the open part. */
    protected abstract void writeRow(Batch batch, int row) throws IOException;

    /** The bytes the open part holds, those buffered for it included (or the format's estimate of them). */
    protected abstract long partSize();

    /** Completes the open part: writes what the subclass still holds of it, then {@link #completePart}. */
    protected abstract void completeFile() throws IOException;

    /**
     * What an unchecked exception from writing or completing a part becomes: by default itself (a bug, not a
     * failure of the file); a format whose writer reports failures of the file unchecked makes it a
     * {@link #failure}.
     */
    protected RuntimeException uncheckedFailure(String action, RuntimeException e) {
        return e;
    }

    /**
     * Writes the rows into the open part, opening one first when none is, and completes the part when it
     * reaches {@code 'sink.rolling-policy.file-size'}, or after the batch when it has been open for
     * {@code 'sink.rolling-policy.rollover-interval'}.
     */
    @Override
    public final void write(Batch batch) {
        checkOpen();
        try {
            for (int row = 0; row < batch.rowCount(); row++) {
                if (!partOpen()) {
                    openFile();
                }
                writeRow(batch, row);
                if (partSize() >= settings.maxFileSize()) {
                    completeFile();
                }
            }
            if (partOpen() && rolloverDue()) {
                completeFile();
            }
        } catch (IOException e) {
            throw failure("write file", e);
        } catch (RuntimeException e) {
            throw uncheckedFailure("write file", e);
        }
    }

    @Override
    public final DeliveryGuarantee guarantee() {
        return parts.guarantee();
    }

    /**
     * At-least-once flushes; exactly-once completes the open part, since a checkpoint covers only completed
     * parts. Then stages the parts completed since the last checkpoint ({@link PartFiles#prepare}).
     */
    @Override
    public final byte[] prepareCommit(long checkpointId) {
        checkOpen();
        if (parts.guarantee() == DeliveryGuarantee.AT_LEAST_ONCE) {
            flush();
        } else if (partOpen()) {
            try {
                completeFile();
            } catch (IOException e) {
                throw failure("complete file", e);
            } catch (RuntimeException e) {
                throw uncheckedFailure("complete file", e);
            }
        }
        try {
            return parts.prepare(checkpointId);
        } catch (IOException e) {
            throw failure("prepare checkpoint " + checkpointId + " in", e);
        }
    }

    @Override
    public final void commit(long checkpointId) {
        checkOpen();
        try {
            parts.commit(checkpointId);
        } catch (IOException e) {
            throw failure("publish the part files of checkpoint " + checkpointId + " in", e);
        }
    }

    @Override
    public final boolean recover(Optional<PreparedCommit> newest) {
        checkOpen();
        try {
            return parts.recover(newest);
        } catch (IOException e) {
            throw failure("recover the part files of the last checkpoint in", e);
        }
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!partOpen()) {
            return;
        }
        if (parts.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            abandonPart();
            return;
        }
        try {
            completeFile();
        } catch (IOException | RuntimeException e) {
            // close must release the file even when completing it failed; the rows stay in the in-progress file
            LOG.warn("{}: cannot complete file {}; its rows stay in the hidden in-progress file", describedObject, part, e);
            if (partOpen()) {
                abandonPart();
            }
        }
    }

    protected final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
    }

    protected final boolean partOpen() {
        return channel != null;
    }

    /** The open part's path. */
    protected final Path part() {
        return part;
    }

    /** The open part's channel. */
    protected final FileChannel partChannel() {
        return channel;
    }

    /** Whether the open part is due to be completed: it is full, or has been open for the rollover interval. */
    protected final boolean rollDue() {
        return partSize() >= settings.maxFileSize() || rolloverDue();
    }

    private boolean rolloverDue() {
        return clock.millis() - partOpenedMillis >= settings.rolloverInterval().toMillis();
    }

    /** Creates the next part (hidden while in progress) and opens it. */
    protected final FileChannel openPart() throws IOException {
        part = parts.nextPart();
        try {
            channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            parts.released(part);
            throw e;
        }
        parts.opened(part, channel);
        partOpenedMillis = clock.millis();
        LOG.debug("{}: writing {}", describedObject, part);
        return channel;
    }

    /**
     * Forces the open part, whose every byte is written, to disk, hands it to {@link PartFiles} as complete and
     * closes it; it is closed and released also when this fails. {@code contents} is for the log, e.g. {@code 12 rows}.
     */
    protected final void completePart(String contents) throws IOException {
        try {
            channel.force(false);
            parts.completed(part);
        } finally {
            channel.close();
            channel = null;
            parts.released(part);
        }
        LOG.debug("{}: completed {} ({})", describedObject, part, contents);
    }

    /** Closes the open part without completing it: it stays hidden, in progress. */
    protected final void abandonPart() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("{}: cannot close file {}", describedObject, part, e);
        }
        channel = null;
        parts.released(part);
    }

    /** The error for a failed {@code action}, naming the open part, or the directory when none is open. */
    protected final WeirException failure(String action, Exception e) {
        if (e instanceof WeirException weir) {
            return weir;
        }
        Path file = partOpen() ? part : settings.directory();
        return new WeirException(ErrorCode.SINK_ERROR, describedObject + ": cannot " + action + " '" + file + "': "
                + e + ". Check that the directory of option 'path' is writable and the disk has space", e);
    }
}
