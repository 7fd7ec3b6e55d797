package io.weir.engine.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The bytes of a checkpoint file: a magic number and format version, the checkpoint's header fields,
 * its sections (name, length, bytes), and a CRC-32C of everything before it, so that a file cut short
 * or changed on disk is recognized instead of restored.
 */
final class CheckpointFormat {
    private static final byte[] MAGIC = "WEIRCKPT".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;

    private CheckpointFormat() {
    }

    static byte[] write(Checkpoint checkpoint) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, checkpoint.stateBytes() + 256));
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(checkpoint.id());
            out.writeLong(checkpoint.batch());
            out.writeLong(checkpoint.createdAtMillis());
            out.writeUTF(checkpoint.planFingerprint());
            out.writeInt(checkpoint.sections().size());
            for (Map.Entry<String, byte[]> section : checkpoint.sections().entrySet()) {
                out.writeUTF(section.getKey());
                out.writeInt(section.getValue().length);
                out.write(section.getValue());
            }
            out.flush();
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray(), 0, bytes.size());
            out.writeLong(crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
    }

    static Checkpoint read(byte[] file) throws CheckpointCorruptException {
        if (file.length < MAGIC.length + 4 + 8 || !Arrays.equals(file, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CheckpointCorruptException("not a checkpoint file (" + file.length + " bytes, no header)");
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, file.length - 8);
        long stored = java.nio.ByteBuffer.wrap(file, file.length - 8, 8).getLong();
        if (crc.getValue() != stored) {
            throw new CheckpointCorruptException("checksum mismatch (the file was cut short or changed)");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(file, MAGIC.length, file.length - MAGIC.length - 8));
            int version = in.readInt();
            if (version != VERSION) {
                throw new CheckpointCorruptException("format version " + version + ", this server reads version " + VERSION);
            }
            long id = in.readLong();
            long batch = in.readLong();
            long createdAt = in.readLong();
            String fingerprint = in.readUTF();
            int count = in.readInt();
            Map<String, byte[]> sections = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                byte[] section = new byte[in.readInt()];
                in.readFully(section);
                sections.put(name, section);
            }
            return new Checkpoint(id, batch, createdAt, fingerprint, sections);
        } catch (EOFException | IllegalArgumentException e) {
            throw new CheckpointCorruptException("inconsistent content: " + e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
