package io.weir.engine.checkpoint;

import io.weir.engine.state.StateBytes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The bytes of a checkpoint file: a magic number and format version, the checkpoint's header fields
 * (id, the checkpoint its deltas apply to, batch, time, plan), its sections (name, length, bytes), and
 * a CRC-32C of everything before it, so that a file cut short or changed on disk is recognized instead
 * of restored. Version 1 had no parent id.
 *
 * <p>Written straight to the file: the sections' parts go to the channel as they are and the CRC is
 * taken over them on the way, so a checkpoint of 100 MB is not copied into other arrays first.
 */
final class CheckpointFormat {
    private static final byte[] MAGIC = "WEIRCKPT".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    /** Magic, version and id: where the parent id starts. */
    private static final int PARENT_OFFSET = 8 + 4 + 8;

    private CheckpointFormat() {
    }

    /** Writes {@code checkpoint} to {@code channel}; returns the bytes written. */
    static long write(Checkpoint checkpoint, WritableByteChannel channel) throws IOException {
        CRC32C crc = new CRC32C();
        ByteArrayOutputStream header = new ByteArrayOutputStream(256);
        DataOutputStream out = new DataOutputStream(header);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(checkpoint.id());
        out.writeLong(checkpoint.parentId());
        out.writeLong(checkpoint.batch());
        out.writeLong(checkpoint.createdAtMillis());
        out.writeUTF(checkpoint.planFingerprint());
        out.writeInt(checkpoint.sections().size());
        long written = 0;
        for (Map.Entry<String, StateBytes> section : checkpoint.sections().entrySet()) {
            long length = section.getValue().length();
            if (length > Integer.MAX_VALUE) {
                throw new IOException("checkpoint section " + section.getKey() + " of " + length + " bytes is larger than 2 GiB");
            }
            out.writeUTF(section.getKey());
            out.writeInt((int) length);
            byte[] sectionHeader = header.toByteArray();
            written += put(channel, crc, sectionHeader, 0, sectionHeader.length);
            header.reset();
            // each part as it is: a section of 100 MB is not gathered into one array first
            section.getValue().forEachPart((array, offset, partLength) -> put(channel, crc, array, offset, partLength));
            written += length;
        }
        byte[] end = header.toByteArray();
        written += put(channel, crc, end, 0, end.length);
        ByteBuffer trailer = ByteBuffer.allocate(8).putLong(0, crc.getValue());
        while (trailer.hasRemaining()) {
            channel.write(trailer);
        }
        return written + 8;
    }

    private static long put(WritableByteChannel channel, CRC32C crc, byte[] bytes, int offset, int length) throws IOException {
        crc.update(bytes, offset, length);
        ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        return length;
    }

    /** The bytes of {@code checkpoint} as a file holds them (for tests). */
    static byte[] write(Checkpoint checkpoint) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(checkpoint, java.nio.channels.Channels.newChannel(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * The parent id in the first bytes of a checkpoint file, unchecked (for deciding which files to
     * keep); 0 for a file too short or of version 1.
     */
    static long parentId(byte[] firstBytes) {
        if (firstBytes.length < PARENT_OFFSET + 8 || !Arrays.equals(firstBytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)
                || ByteBuffer.wrap(firstBytes, MAGIC.length, 4).getInt() != VERSION) {
            return 0;
        }
        return Math.max(0, ByteBuffer.wrap(firstBytes, PARENT_OFFSET, 8).getLong());
    }

    static int headerPrefixBytes() {
        return PARENT_OFFSET + 8;
    }

    /**
     * The plan fingerprint in the header of a checkpoint file, read without the rest of it (and so
     * without checking its checksum).
     */
    static String readPlanFingerprint(InputStream file) throws IOException, CheckpointCorruptException {
        DataInputStream in = new DataInputStream(file);
        byte[] magic = new byte[MAGIC.length];
        try {
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CheckpointCorruptException("not a checkpoint file (no header)");
            }
            int version = in.readInt();
            if (version != VERSION && version != 1) {
                throw new CheckpointCorruptException("format version " + version + ", this server reads versions 1 and " + VERSION);
            }
            in.skipNBytes(version == 1 ? 3 * Long.BYTES : 4 * Long.BYTES); // id, [parent,] batch, created at
            return in.readUTF();
        } catch (EOFException e) {
            throw new CheckpointCorruptException("cut short in its header");
        }
    }

    static Checkpoint read(byte[] file) throws CheckpointCorruptException {
        if (file.length < MAGIC.length + 4 + 8 || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CheckpointCorruptException("not a checkpoint file (" + file.length + " bytes, no header)");
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - 8);
        long stored = ByteBuffer.wrap(file, file.length - 8, 8).getLong();
        if (crc.getValue() != stored) {
            throw new CheckpointCorruptException("checksum mismatch (the file was cut short or changed)");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, MAGIC.length, file.length - MAGIC.length - 8));
            int version = in.readInt();
            if (version != VERSION && version != 1) {
                throw new CheckpointCorruptException("format version " + version + ", this server reads versions 1 and " + VERSION);
            }
            long id = in.readLong();
            long parent = version == 1 ? 0 : in.readLong();
            long batch = in.readLong();
            long createdAt = in.readLong();
            String fingerprint = in.readUTF();
            int count = in.readInt();
            Map<String, StateBytes> sections = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte[] section = new byte[in.readInt()];
                in.readFully(section);
                sections.put(name, StateBytes.of(section));
            }
            return new Checkpoint(id, batch, createdAt, fingerprint, sections, parent);
        } catch (EOFException | IllegalArgumentException | NegativeArraySizeException e) {
            throw new CheckpointCorruptException("inconsistent content: " + e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
