package io.weir.connector.file;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;
import io.weir.spi.connector.SinkWriter;
import io.weir.spi.format.RecordEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.UUID;

/**
 * Appends encoded rows, one per line, to an in-progress file that readers ignore (hidden: named
 * {@code .part-<writer>-<seq>.<ext>.inprogress}) and completes it by renaming it atomically to
 * {@code part-<writer>-<seq>.<ext>}, so that a visible part file is always complete. A file is
 * completed when it reaches {@code 'sink.rolling-policy.file-size'} or has been open for
 * {@code 'sink.rolling-policy.rollover-interval'} (checked on every write and flush), and on close.
 *
 * <p>{@link #flush()} writes what is buffered and forces it to disk before returning: rows the
 * engine saw flushed survive a crash, in an in-progress file that is not completed after a restart
 * (the restarted query writes them again from the sources' committed positions: at-least-once).
 * Files are opened lazily, so a writer that receives no rows creates none. When its first file is
 * opened, a writer completes in-progress files that writers which died left behind
 * ({@link InProgressFiles}), so that those flushed rows become visible too.
 */
final class FileSinkWriter implements SinkWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FileSinkWriter.class);
    /** Encoded rows are gathered up to this size before they are written to the file. */
    private static final int WRITE_THRESHOLD = 64 * 1024;

    private final String describedObject;
    private final FileSinkSettings settings;
    private final RecordEncoder encoder;
    private final InstantSource clock;
    private final String writerId = UUID.randomUUID().toString().substring(0, 8);

    private byte[] buffer = new byte[8 * 1024];
    private int buffered;

    private FileChannel channel;
    private Path inProgress;
    private Path completed;
    private long fileBytes;
    private long fileOpenedMillis;
    private int sequence;
    private boolean recovered;
    private boolean closed;

    FileSinkWriter(String describedObject, FileSinkSettings settings, RecordEncoder encoder, InstantSource clock) {
        this.describedObject = describedObject;
        this.settings = settings;
        this.encoder = encoder;
        this.clock = clock;
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
            throw failure("write", e);
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
            throw failure("flush", e);
        }
    }

    /** Completes the current file, if any: rows written but not flushed are kept, as a close after a last write expects. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (channel == null) {
            return;
        }
        try {
            completeFile();
        } catch (IOException e) {
            // close must release the file even when completing it failed; the rows stay in the in-progress file
            LOG.warn("{}: cannot complete file {}; its rows stay in the hidden in-progress file", describedObject, inProgress, e);
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
        Files.createDirectories(settings.directory());
        String name = String.format("part-%s-%06d.%s", writerId, sequence++, settings.extension());
        completed = settings.directory().resolve(name);
        inProgress = InProgressFiles.inProgress(completed);
        InProgressFiles.register(inProgress);
        channel = FileChannel.open(inProgress, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        lockForOtherProcesses();
        if (!recovered) {
            recovered = true;
            InProgressFiles.recoverOrphans(settings.directory(), describedObject);
        }
        fileBytes = 0;
        fileOpenedMillis = clock.millis();
        LOG.debug("{}: writing {}", describedObject, inProgress);
        if (encoder.fileHeader().isPresent()) {
            append(encoder.fileHeader().get().getBytes(StandardCharsets.UTF_8));
            append('\n');
        }
    }

    /** Tells writers in other processes that recover orphaned files that this one is alive. */
    private void lockForOtherProcesses() {
        try {
            channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            LOG.debug("{}: cannot lock {}: {}", describedObject, inProgress, e.toString());
        }
    }

    /**
     * Writes the buffer, forces the file to disk, and renames it to its visible name. Renaming while
     * the file is open keeps its lock until the name is final.
     */
    private void completeFile() throws IOException {
        writeBuffer();
        channel.force(false);
        try {
            Files.move(inProgress, completed, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            channel.close();
            channel = null;
            InProgressFiles.unregister(inProgress);
        }
        syncDirectory();
        LOG.debug("{}: completed {} ({} bytes)", describedObject, completed, fileBytes);
    }

    /** Makes the rename durable (Linux and macOS support fsync on a directory; others do not need it). */
    private void syncDirectory() {
        try (FileChannel directory = FileChannel.open(settings.directory(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            LOG.debug("{}: cannot sync directory {} after a rename: {}", describedObject, settings.directory(), e.toString());
        }
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
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("{}: cannot close file {}", describedObject, inProgress, e);
        }
        channel = null;
        InProgressFiles.unregister(inProgress);
    }

    private WeirException failure(String action, IOException e) {
        Path file = inProgress == null ? settings.directory() : inProgress;
        return new WeirException(ErrorCode.SINK_ERROR, describedObject + ": cannot " + action + " file '" + file + "': "
                + e + ". Check that the directory of option 'path' is writable and the disk has space", e);
    }
}
