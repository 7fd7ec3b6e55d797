package io.weir.engine.state;

import java.io.DataInput;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads what a {@link StateWriter} wrote, from a byte array. Reading past the end throws
 * {@link SnapshotFormat.CorruptSnapshotException}, which restores report as a damaged snapshot.
 */
public final class StateReader implements DataInput {
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private final byte[] buffer;
    private int position;

    public StateReader(byte[] buffer) {
        this.buffer = java.util.Objects.requireNonNull(buffer, "buffer is null");
    }

    public int position() {
        return position;
    }

    public int remaining() {
        return buffer.length - position;
    }

    private void need(int bytes) {
        if (bytes < 0 || bytes > buffer.length - position) {
            throw new SnapshotFormat.CorruptSnapshotException("needs " + bytes + " bytes at offset " + position
                    + " of " + buffer.length);
        }
    }

    /** Skips {@code bytes} bytes, such as a key group's section that is not restored. */
    public void skip(int bytes) {
        need(bytes);
        position += bytes;
    }

    @Override
    public void readFully(byte[] bytes) {
        readFully(bytes, 0, bytes.length);
    }

    @Override
    public void readFully(byte[] bytes, int offset, int length) {
        need(length);
        System.arraycopy(buffer, position, bytes, offset, length);
        position += length;
    }

    @Override
    public int skipBytes(int bytes) {
        int skipped = Math.max(0, Math.min(bytes, remaining()));
        position += skipped;
        return skipped;
    }

    @Override
    public boolean readBoolean() {
        byte value = readByte();
        if (value != 0 && value != 1) {
            throw new SnapshotFormat.CorruptSnapshotException("boolean byte " + value + " at offset " + (position - 1));
        }
        return value == 1;
    }

    @Override
    public byte readByte() {
        need(1);
        return buffer[position++];
    }

    @Override
    public int readUnsignedByte() {
        return readByte() & 0xFF;
    }

    @Override
    public short readShort() {
        need(2);
        short value = (short) (((buffer[position] & 0xFF) << 8) | (buffer[position + 1] & 0xFF));
        position += 2;
        return value;
    }

    @Override
    public int readUnsignedShort() {
        return readShort() & 0xFFFF;
    }

    @Override
    public char readChar() {
        return (char) readShort();
    }

    @Override
    public int readInt() {
        need(4);
        int value = (int) INTS.get(buffer, position);
        position += 4;
        return value;
    }

    /** An int that counts something: negative means the snapshot is damaged. */
    public int readCount() {
        int count = readInt();
        if (count < 0) {
            throw new SnapshotFormat.CorruptSnapshotException("negative count " + count + " at offset " + (position - 4));
        }
        return count;
    }

    /** A varint {@link StateWriter#writeVarInt} wrote. */
    public int readVarInt() {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readByte();
            value |= (b & 0x7F) << shift;
            if (b >= 0) {
                if (value < 0) {
                    throw new SnapshotFormat.CorruptSnapshotException("negative varint at offset " + position);
                }
                return value;
            }
        }
        throw new SnapshotFormat.CorruptSnapshotException("varint longer than 5 bytes at offset " + position);
    }

    /** The array read (for readers that copy byte ranges without decoding them). */
    public byte[] array() {
        return buffer;
    }

    @Override
    public long readLong() {
        need(8);
        long value = (long) LONGS.get(buffer, position);
        position += 8;
        return value;
    }

    @Override
    public float readFloat() {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readLine() {
        throw new UnsupportedOperationException("snapshots hold no lines");
    }

    @Override
    public String readUTF() {
        return readString();
    }

    /** A string written by {@link StateWriter#writeString}. */
    public String readString() {
        int bytes = readCount();
        need(bytes);
        int end = position + bytes;
        char[] chars = new char[bytes];
        int count = 0;
        while (position < end) {
            int b = buffer[position++] & 0xFF;
            if (b < 0x80) {
                chars[count++] = (char) b;
            } else if ((b & 0xE0) == 0xC0 && position < end) {
                chars[count++] = (char) (((b & 0x1F) << 6) | (buffer[position++] & 0x3F));
            } else if ((b & 0xF0) == 0xE0 && position + 1 < end) {
                chars[count++] = (char) (((b & 0x0F) << 12) | ((buffer[position] & 0x3F) << 6) | (buffer[position + 1] & 0x3F));
                position += 2;
            } else {
                throw new SnapshotFormat.CorruptSnapshotException("bad string byte at offset " + (position - 1));
            }
        }
        return new String(chars, 0, count);
    }
}
