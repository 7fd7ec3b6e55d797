package io.weir.engine.join;

import io.weir.engine.operator.Watermark;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The snapshot format of the two-input joins: a header (version, operator kind), the operator's own
 * progress (watermarks and counters), then each side's {@link RowStore}, row by row with its key group.
 */
final class JoinSnapshot {
    private static final int VERSION = 1;

    /** Writes an operator's part after the header. */
    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads an operator's part after the header. */
    interface Reader {
        void read(DataInputStream in) throws IOException;
    }

    private JoinSnapshot() {
    }

    static byte[] write(String kind, Writer body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(VERSION);
            out.writeUTF(kind);
            body.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void read(byte[] snapshot, String kind, Reader body) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot));
            int version = in.readInt();
            String written = in.readUTF();
            if (version != VERSION || !written.equals(kind)) {
                throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore join state: snapshot of a " + written
                        + ", version " + version + ", into a " + kind + ", version " + VERSION);
            }
            body.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeWatermark(DataOutputStream out, Watermark watermark) throws IOException {
        out.writeLong(watermark.millis());
        out.writeBoolean(watermark.idle());
    }

    static Watermark readWatermark(DataInputStream in) throws IOException {
        return new Watermark(in.readLong(), in.readBoolean());
    }
}
