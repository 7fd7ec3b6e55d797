package io.weir.engine.state;

import java.io.DataOutput;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Writes a snapshot into one growing byte array (big-endian, as {@link java.io.DataOutputStream}),
 * so that writing a million groups allocates a handful of arrays, not an object per group. Lengths
 * written before the data they measure are reserved with {@link #reserveInt} and filled in later.
 */
public final class StateWriter implements DataOutput {
    // one big-endian store per int or long instead of a store per byte: snapshots are mostly longs
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private byte[] buffer;
    private int size;

    public StateWriter(int initialCapacity) {
        buffer = new byte[Math.max(64, initialCapacity)];
    }

    private void ensure(int more) {
        if (size + more > buffer.length) {
            long needed = (long) size + more;
            long grown = Math.max(needed, (long) buffer.length * 2);
            if (grown > Integer.MAX_VALUE - 16) {
                if (needed > Integer.MAX_VALUE - 16) {
                    throw new IllegalStateException("snapshot larger than 2 GiB");
                }
                grown = Integer.MAX_VALUE - 16;
            }
            buffer = Arrays.copyOf(buffer, (int) grown);
        }
    }

    /**
     * Makes room for exactly {@code more} bytes when the buffer is smaller, so that a writer told the
     * final size up front hands its buffer out in {@link #toByteArray} without a copy.
     */
    public void reserveExactly(int more) {
        long needed = (long) size + more;
        if (needed > buffer.length) {
            if (needed > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("snapshot larger than 2 GiB");
            }
            buffer = Arrays.copyOf(buffer, (int) needed);
        }
    }

    /** Bytes written so far. */
    public int size() {
        return size;
    }

    /** Writes a placeholder int to fill in with {@link #patchInt}; returns its position. */
    public int reserveInt() {
        int position = size;
        writeInt(0);
        return position;
    }

    public void patchInt(int position, int value) {
        INTS.set(buffer, position, value);
    }

    /**
     * Reserves one byte for the length of what follows, for {@link #finishVarLength}: lengths of keys
     * and values are mostly below 128, so a keyed entry pays two bytes for both lengths, not eight.
     */
    public int startVarLength() {
        ensure(1);
        return size++;
    }

    /**
     * Writes the length of what was written since {@link #startVarLength} returned {@code position},
     * plus {@code bias}, as a varint at {@code position}, moving the bytes after it when it needs more
     * than the one byte reserved.
     */
    public void finishVarLength(int position, int bias) {
        int value = size - position - 1 + bias;
        int width = varIntWidth(value);
        if (width > 1) {
            ensure(width - 1);
            System.arraycopy(buffer, position + 1, buffer, position + width, size - position - 1);
            size += width - 1;
        }
        int at = position;
        while ((value & ~0x7F) != 0) {
            buffer[at++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[at] = (byte) value;
    }

    /** An unsigned LEB128 varint of a non-negative int. */
    public void writeVarInt(int value) {
        ensure(5);
        while ((value & ~0x7F) != 0) {
            buffer[size++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[size++] = (byte) value;
    }

    static int varIntWidth(int value) {
        int width = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            width++;
        }
        return width;
    }

    /** The array holding what was written, valid up to {@link #size()} until the next write (no copy). */
    public byte[] array() {
        return buffer;
    }

    /** Drops what was written after the first {@code size} bytes. */
    public void truncate(int size) {
        if (size < 0 || size > this.size) {
            throw new IllegalArgumentException("cannot truncate " + this.size + " bytes to " + size);
        }
        this.size = size;
    }

    /** Appends what this writer holds to {@code out}. */
    public void copyTo(StateWriter out) {
        out.write(buffer, 0, size);
    }

    /** What was written; the buffer itself when it is full (see {@link #reserveExactly}), after which nothing more may be written. */
    public byte[] toByteArray() {
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }

    @Override
    public void write(int b) {
        ensure(1);
        buffer[size++] = (byte) b;
    }

    @Override
    public void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    @Override
    public void writeBoolean(boolean value) {
        write(value ? 1 : 0);
    }

    @Override
    public void writeByte(int value) {
        write(value);
    }

    @Override
    public void writeShort(int value) {
        ensure(2);
        buffer[size++] = (byte) (value >>> 8);
        buffer[size++] = (byte) value;
    }

    @Override
    public void writeChar(int value) {
        writeShort(value);
    }

    @Override
    public void writeInt(int value) {
        ensure(4);
        INTS.set(buffer, size, value);
        size += 4;
    }

    @Override
    public void writeLong(long value) {
        ensure(8);
        LONGS.set(buffer, size, value);
        size += 8;
    }

    @Override
    public void writeFloat(float value) {
        writeInt(Float.floatToIntBits(value));
    }

    @Override
    public void writeDouble(double value) {
        writeLong(Double.doubleToLongBits(value));
    }

    @Override
    public void writeBytes(String value) {
        ensure(value.length());
        for (int i = 0; i < value.length(); i++) {
            buffer[size++] = (byte) value.charAt(i);
        }
    }

    @Override
    public void writeChars(String value) {
        for (int i = 0; i < value.length(); i++) {
            writeChar(value.charAt(i));
        }
    }

    /** Same as {@link #writeString}: unlike {@link java.io.DataOutputStream#writeUTF}, no 64 KiB limit. */
    @Override
    public void writeUTF(String value) {
        writeString(value);
    }

    /**
     * A string of any length: its encoded length, then modified UTF-8 (one byte per ASCII char,
     * lossless for every Java string, including unpaired surrogates).
     */
    public void writeString(String value) {
        int length = value.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c == 0 || c >= 0x80) {
                bytes += c >= 0x800 ? 2 : 1;
            }
        }
        writeInt(bytes);
        ensure(bytes);
        if (bytes == length) {
            for (int i = 0; i < length; i++) {
                buffer[size++] = (byte) value.charAt(i);
            }
            return;
        }
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c != 0 && c < 0x80) {
                buffer[size++] = (byte) c;
            } else if (c < 0x800) {
                buffer[size++] = (byte) (0xC0 | (c >> 6));
                buffer[size++] = (byte) (0x80 | (c & 0x3F));
            } else {
                buffer[size++] = (byte) (0xE0 | (c >> 12));
                buffer[size++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buffer[size++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }
}
