package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.DeliveryGuarantee;
import io.weir.spi.connector.PreparedCommit;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.format.RecordEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Optional;

/**
 * Appends encoded rows, one per line, to a hidden part file (readers ignore names starting with '.')
 * and completes it when it reaches {@code 'sink.rolling-policy.file-size'} or has been open for
 * {@code 'sink.rolling-policy.rollover-interval'} (checked on every write and flush). When a
 * completed file becomes visible is up to {@link PartFiles}: at once with an atomic rename
 * ({@link ImmediateParts}, at-least-once, where closing the writer completes its file too), or when
 * the checkpoint that covers it commits ({@link CheckpointedParts}, exactly-once, where preparing a
 * checkpoint completes the open file and closing leaves it hidden, to be discarded at the next start).
 *
 * <p>{@link #flush()} writes what is buffered and forces it to disk before returning. Files are
 * opened lazily, so a writer that receives no rows creates none.
 */
final class FileSinkWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FileSinkWriter.class);
    /** Encoded rows are gathered up to this size before they are written to the file. */
    private static final int WRITE_THRESHOLD = 64 * 1024;

    private final String describedObject;
    private final FileSinkSettings settings;
    private final RecordEncoder encoder;
    private final InstantSource clock;
    private final PartFiles parts;

    private byte[] buffer = new byte[8 * 1024];
    private int buffered;

    private FileChannel channel;
    private Path part;
    private long fileBytes;
    private long fileOpenedMillis;
    private boolean closed;

    FileSinkWriter(String describedObject, FileSinkSettings settings, RecordEncoder encoder, InstantSource clock, PartFiles parts) {
        this.describedObject = describedObject;
        this.settings = settings;
        this.encoder = encoder;
        this.clock = clock;
        this.parts = parts;
    }

    @Override
    public void write(Batch batch) {
        checkOpen();
        try {
            for (int row = 0; row < batch.rowCount(); row++) {
                if (channel == null) {
                    openFile();
                }
                append(encoder.encode(batch, row));
                append('\n');
                if (buffered >= WRITE_THRESHOLD) {
                    writeBuffer();
                }
                if (fileBytes + buffered >= settings.maxFileSize()) {
                    completeFile();
                }
            }
            if (channel != null && intervalElapsed()) {
                completeFile();
            }
        } catch (IOException e) {
            throw failure("write file", e);
        }
    }

    @Override
    public void flush() {
        checkOpen();
        if (channel == null) {
            return;
        }
        try {
            if (fileBytes + buffered >= settings.maxFileSize() || intervalElapsed()) {
                completeFile();
            } else {
                writeBuffer();
                channel.force(false);
            }
        } catch (IOException e) {
            throw failure("flush file", e);
        }
    }

    @Override
    public DeliveryGuarantee guarantee() {
        return parts.guarantee();
    }

    /** Exactly-once: completes the open part and stages every part completed since the last checkpoint. */
    @Override
    public byte[] prepareCommit(long checkpointId) {
        checkOpen();
        if (parts.guarantee() == DeliveryGuarantee.AT_LEAST_ONCE) {
            flush();
        } else if (channel != null) {
            try {
                completeFile();
            } catch (IOException e) {
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

    /**
     * At-least-once: completes the current file, keeping rows written but not flushed, as a close after
     * a last write expects. Exactly-once: leaves it hidden; what was not committed is written again
     * after the restart.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (channel == null) {
            return;
        }
        if (parts.guarantee() == DeliveryGuarantee.EXACTLY_ONCE) {
            closeChannelQuietly();
            return;
        }
        try {
            completeFile();
        } catch (IOException e) {
            // close must release the file even when completing it failed; the rows stay in the in-progress file
            LOG.warn("{}: cannot complete file {}; its rows stay in the hidden in-progress file", describedObject, part, e);
            closeChannelQuietly();
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
        fileBytes = 0;
        fileOpenedMillis = clock.millis();
        LOG.debug("{}: writing {}", describedObject, part);
        if (encoder.fileHeader().isPresent()) {
            append(encoder.fileHeader().get().getBytes(StandardCharsets.UTF_8));
            append('\n');
        }
    }

    /** Writes the buffer, forces the file to disk, hands it to {@link PartFiles} as complete and closes it. */
    private void completeFile() throws IOException {
        writeBuffer();
        channel.force(false);
        try {
            parts.completed(part);
        } finally {
            channel.close();
            channel = null;
            parts.released(part);
        }
        LOG.debug("{}: completed {} ({} bytes)", describedObject, part, fileBytes);
    }

    private void append(byte[] bytes) {
        ensureCapacity(bytes.length);
        System.arraycopy(bytes, 0, buffer, buffered, bytes.length);
        buffered += bytes.length;
    }

    private void append(char ascii) {
        ensureCapacity(1);
        buffer[buffered++] = (byte) ascii;
    }

    private void ensureCapacity(int more) {
        if (buffered + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, buffered + more));
        }
    }

    private void writeBuffer() throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, buffered);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        fileBytes += buffered;
        buffered = 0;
        if (buffer.length > 4 * WRITE_THRESHOLD) {
            buffer = new byte[8 * 1024]; // do not keep the memory of one huge row
        }
    }

    private void closeChannelQuietly() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("{}: cannot close file {}", describedObject, part, e);
        }
        channel = null;
        parts.released(part);
    }

    private WeirException failure(String action, IOException e) {
        Path file = channel == null ? settings.directory() : part;
        return new WeirException(ErrorCode.SINK_ERROR, describedObject + ": cannot " + action + " '" + file + "': "
                + e + ". Check that the directory of option 'path' is writable and the disk has space", e);
    }
}
