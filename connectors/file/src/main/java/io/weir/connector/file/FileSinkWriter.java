package io.weir.connector.file;

import io.weir.spi.batch.Batch;
import io.weir.spi.format.RecordEncoder;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.Arrays;

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
final class FileSinkWriter extends RollingPartWriter {
    /** Encoded rows are gathered up to this size before they are written to the file. */
    private static final int WRITE_THRESHOLD = 64 * 1024;

    private final RecordEncoder encoder;

    private byte[] buffer = new byte[8 * 1024];
    private int buffered;
    /** The bytes of the open part written to its file so far. */
    private long fileBytes;

    FileSinkWriter(String describedObject, FileSinkSettings settings, RecordEncoder encoder, InstantSource clock, PartFiles parts) {
        super(describedObject, settings, clock, parts);
        this.encoder = encoder;
    }

    @Override
    protected void writeRow(Batch batch, int row) throws IOException {
        append(encoder.encode(batch, row));
        append('\n');
        if (buffered >= WRITE_THRESHOLD) {
            writeBuffer();
        }
    }

    @Override
    protected long partSize() {
        return fileBytes + buffered;
    }

    @Override
    public void flush() {
        checkOpen();
        if (!partOpen()) {
            return;
        }
        try {
            if (rollDue()) {
                completeFile();
            } else {
                writeBuffer();
                partChannel().force(false);
            }
        } catch (IOException e) {
            throw failure("flush file", e);
        }
    }

    @Override
    protected void openFile() throws IOException {
        openPart();
        fileBytes = 0;
        if (encoder.fileHeader().isPresent()) {
            append(encoder.fileHeader().get().getBytes(StandardCharsets.UTF_8));
            append('\n');
        }
    }

    /** Writes the buffer, then forces the file to disk, hands it to {@link PartFiles} as complete and closes it. */
    @Override
    protected void completeFile() throws IOException {
        writeBuffer();
        completePart(fileBytes + " bytes");
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
        FileChannel channel = partChannel();
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        fileBytes += buffered;
        buffered = 0;
        if (buffer.length > 4 * WRITE_THRESHOLD) {
            buffer = new byte[8 * 1024]; // do not keep the memory of one huge row
        }
    }
}
