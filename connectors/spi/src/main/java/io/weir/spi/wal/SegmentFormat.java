package io.weir.spi.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The layout of a segment file. A 16-byte header: magic {@code WWAL}, format version (short), zero
 * (short), the offset of the segment's first record (long). Then records, each: payload length (int),
 * CRC32C of the length's four bytes and the payload (int), payload. Big-endian. A record's offset is
 * its position in the whole log (the first record ever is 0); a segment file is named after its first
 * offset, zero-padded to 20 digits, so names sort like offsets.
 */
final class SegmentFormat {
    static final int MAGIC = 0x5757414C; // "WWAL"
    static final short VERSION = 1;
    static final int HEADER_BYTES = 16;
    static final int RECORD_HEADER_BYTES = 8;
    /** Larger lengths are corruption, not records (a request body is at most 16 MiB). */
    static final int MAX_RECORD_BYTES = 256 << 20;
    static final String SUFFIX = ".wal";

    private SegmentFormat() {
    }

    static String fileName(long baseOffset) {
        return String.format("%020d%s", baseOffset, SUFFIX);
    }

    /** The base offset a segment file name stands for, or empty for other files. */
    static Optional<Long> baseOffset(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX) || name.length() != 20 + SUFFIX.length()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(name.substring(0, 20)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static ByteBuffer header(long baseOffset) {
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        header.putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(baseOffset).flip();
        return header;
    }

    /** Why the header of a segment named for {@code expectedBase} is not valid, or empty when it is. */
    static Optional<String> checkHeader(FileChannel channel, long expectedBase) throws IOException {
        if (channel.size() < HEADER_BYTES) {
            return Optional.of("the file has " + channel.size() + " bytes, less than a header");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
        readFully(channel, header, 0);
        header.flip();
        int magic = header.getInt();
        short version = header.getShort();
        header.getShort();
        long base = header.getLong();
        if (magic != MAGIC) {
            return Optional.of("it is not a write-ahead log segment");
        }
        if (version != VERSION) {
            return Optional.of("it has format version " + version + "; this server reads version " + VERSION
                    + " (written by a newer server?)");
        }
        if (base != expectedBase) {
            return Optional.of("its header says first offset " + base + " but its name " + expectedBase);
        }
        return Optional.empty();
    }

    /** The bytes of {@code records} framed for appending, in one buffer so that they are written with one call. */
    static ByteBuffer frame(List<byte[]> records) {
        long size = 0;
        for (byte[] record : records) {
            if (record.length > MAX_RECORD_BYTES) {
                throw new IllegalArgumentException("a record of " + record.length + " bytes is larger than " + MAX_RECORD_BYTES);
            }
            size += RECORD_HEADER_BYTES + record.length;
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("too many bytes for one append: " + size);
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        CRC32C crc = new CRC32C();
        for (byte[] record : records) {
            buffer.putInt(record.length);
            buffer.putInt(checksum(crc, record.length, record, 0));
            buffer.put(record);
        }
        return buffer.flip();
    }

    /** CRC32C of the length (four bytes, big-endian) and {@code length} payload bytes from {@code start}. */
    static int checksum(CRC32C crc, int length, byte[] payload, int start) {
        crc.reset();
        crc.update(length >>> 24);
        crc.update(length >>> 16);
        crc.update(length >>> 8);
        crc.update(length);
        crc.update(payload, start, length);
        return (int) crc.getValue();
    }

    static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IOException("unexpected end of file at " + at);
            }
            at += read;
        }
    }
}
