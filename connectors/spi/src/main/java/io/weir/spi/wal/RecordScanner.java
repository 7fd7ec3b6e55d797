package io.weir.spi.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment file in order through a buffer, checking each one's CRC; used to
 * recover a log's tail and by readers. Hand-written for speed: one positional read per buffer (not per
 * record), records parsed in place. Not thread-safe.
 */
final class RecordScanner {
    private static final int BUFFER_BYTES = 1 << 20;

    /** What {@link #next()} found. */
    enum Result { RECORD, END, CORRUPT }

    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
    /** The file position of the buffer's first byte. */
    private long bufferStart;
    /** The file position of the next record. */
    private long position;
    private int length;
    private int payloadStart;
    private String problem = "";
    /** Bytes at or after this file position are not read: the end of what is known to be durable. */
    private long limit = Long.MAX_VALUE;

    RecordScanner(FileChannel channel, long position) {
        this.channel = channel;
        this.position = position;
        this.bufferStart = position;
        buffer.limit(0);
    }

    /** The file position of the next record (after the last one returned). */
    long position() {
        return position;
    }

    /** Reads no bytes at or after {@code limit}; a reader of the active segment sets the durable end. */
    void limit(long limit) {
        this.limit = limit;
    }

    /** Why the last {@link #next()} returned {@link Result#CORRUPT}. */
    String problem() {
        return problem;
    }

    /**
     * Moves to the next record: {@link Result#END} when the file ends at a record boundary,
     * {@link Result#CORRUPT} when it ends inside a record or a record's length or CRC is wrong (the
     * position stays at that record).
     */
    Result next() throws IOException {
        if (!ensure(SegmentFormat.RECORD_HEADER_BYTES)) {
            return available() == 0 ? Result.END : corrupt("the file ends inside a record header");
        }
        int offset = (int) (position - bufferStart);
        int recordLength = buffer.getInt(offset);
        int expectedCrc = buffer.getInt(offset + 4);
        if (recordLength < 0 || recordLength > SegmentFormat.MAX_RECORD_BYTES) {
            return corrupt("a record length of " + recordLength + " bytes");
        }
        if (!ensure(SegmentFormat.RECORD_HEADER_BYTES + recordLength)) {
            return corrupt("the file ends inside a record of " + recordLength + " bytes");
        }
        int start = (int) (position - bufferStart) + SegmentFormat.RECORD_HEADER_BYTES;
        if (SegmentFormat.checksum(crc, recordLength, buffer.array(), start) != expectedCrc) {
            return corrupt("a CRC mismatch");
        }
        length = recordLength;
        payloadStart = start;
        position += SegmentFormat.RECORD_HEADER_BYTES + recordLength;
        return Result.RECORD;
    }

    /** A copy of the current record's payload. */
    byte[] payload() {
        byte[] payload = new byte[length];
        System.arraycopy(buffer.array(), payloadStart, payload, 0, length);
        return payload;
    }

    private int available() {
        return buffer.limit() - (int) (position - bufferStart);
    }

    /** Whether {@code needed} bytes from the position on are in the buffer, reading more if the file has them. */
    private boolean ensure(int needed) throws IOException {
        if (available() >= needed) {
            return true;
        }
        // Move the unread bytes to the front (growing the buffer for a large record) and fill the rest from the file.
        int offset = (int) (position - bufferStart);
        int unread = buffer.limit() - offset;
        ByteBuffer target = needed > buffer.capacity() ? ByteBuffer.allocate(needed) : buffer;
        System.arraycopy(buffer.array(), offset, target.array(), 0, unread);
        buffer = target;
        bufferStart = position;
        buffer.limit(buffer.capacity()).position(unread);
        long fileAt = bufferStart + unread;
        long readable = Math.max(0, limit - fileAt);
        if (readable < buffer.remaining()) {
            buffer.limit(buffer.position() + (int) readable);
        }
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, fileAt);
            if (read <= 0) {
                break;
            }
            fileAt += read;
        }
        buffer.flip();
        return buffer.limit() >= needed;
    }

    private Result corrupt(String why) {
        problem = why;
        return Result.CORRUPT;
    }
}
