package io.weir.engine.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A snapshot's bytes as a sequence of array ranges. Keyed state of a million groups is written by key
 * group into buffers of a few hundred kilobytes; handing those on as they are saves copying them into
 * one array of 100 MB, which would also be allocated outside the young generation and start an
 * old-generation collection. The snapshots of a query's tasks are combined the same way: a range of
 * each, not a copy ({@link #slice}).
 */
public final class StateBytes {
    private final List<byte[]> arrays;
    private final int[] offsets;
    private final int[] lengths;
    private final long length;

    private StateBytes(List<byte[]> arrays, int[] offsets, int[] lengths) {
        this.arrays = arrays;
        this.offsets = offsets;
        this.lengths = lengths;
        long total = 0;
        for (int part : lengths) {
            total += part;
        }
        this.length = total;
    }

    /** The bytes of one array. */
    public static StateBytes of(byte[] bytes) {
        requireNonNull(bytes, "bytes is null");
        return new StateBytes(List.of(bytes), new int[] {0}, new int[] {bytes.length});
    }

    /** Takes each part's {@code length} bytes from {@code offset}, in order. */
    public interface PartConsumer<E extends Exception> {
        void accept(byte[] array, int offset, int length) throws E;
    }

    /** Collects parts; the arrays are not copied, so they must not change afterwards. */
    public static final class Builder {
        private final List<byte[]> arrays = new ArrayList<>();
        private int[] offsets = new int[8];
        private int[] lengths = new int[8];

        public Builder add(byte[] array, int length) {
            return add(array, 0, length);
        }

        public Builder add(byte[] array, int offset, int length) {
            requireNonNull(array, "array is null");
            if (offset < 0 || length < 0 || offset + length > array.length) {
                throw new IllegalArgumentException(length + " bytes at " + offset + " of an array of " + array.length);
            }
            if (length > 0) {
                if (arrays.size() == lengths.length) {
                    lengths = Arrays.copyOf(lengths, lengths.length * 2);
                    offsets = Arrays.copyOf(offsets, offsets.length * 2);
                }
                offsets[arrays.size()] = offset;
                lengths[arrays.size()] = length;
                arrays.add(array);
            }
            return this;
        }

        public Builder add(StateWriter writer) {
            return add(writer.array(), writer.size());
        }

        /** Adds the parts of {@code bytes}, not copied. */
        public Builder add(StateBytes bytes) {
            bytes.forEachPart(this::add);
            return this;
        }

        public StateBytes build() {
            int count = arrays.size();
            return new StateBytes(List.copyOf(arrays), Arrays.copyOf(offsets, count), Arrays.copyOf(lengths, count));
        }
    }

    public long length() {
        return length;
    }

    /** Hands each part to {@code consumer}, in order. */
    public <E extends Exception> void forEachPart(PartConsumer<E> consumer) throws E {
        for (int i = 0; i < lengths.length; i++) {
            consumer.accept(arrays.get(i), offsets[i], lengths[i]);
        }
    }

    /** The first {@code count} bytes (fewer when shorter), for reading a header. */
    public byte[] prefix(int count) {
        return copy(0, (int) Math.min(count, length));
    }

    /** Bytes {@code [from, to)}, sharing the arrays (not copied). */
    public StateBytes slice(long from, long to) {
        if (from < 0 || to < from || to > length) {
            throw new IllegalArgumentException("bytes [" + from + ", " + to + ") of " + length);
        }
        Builder slice = new Builder();
        long partStart = 0;
        for (int i = 0; i < lengths.length && partStart < to; i++) {
            long partEnd = partStart + lengths[i];
            if (partEnd > from) {
                int skip = (int) Math.max(0, from - partStart);
                int take = (int) (Math.min(partEnd, to) - partStart) - skip;
                slice.add(arrays.get(i), offsets[i] + skip, take);
            }
            partStart = partEnd;
        }
        return slice.build();
    }

    /** {@code count} bytes from {@code from}, copied into a new array. */
    public byte[] copy(long from, int count) {
        if (from < 0 || count < 0 || from + count > length) {
            throw new IllegalArgumentException(count + " bytes at " + from + " of " + length);
        }
        byte[] copy = new byte[count];
        int filled = 0;
        long partStart = 0;
        for (int i = 0; i < lengths.length && filled < count; i++) {
            long partEnd = partStart + lengths[i];
            if (partEnd > from + filled) {
                int skip = (int) (from + filled - partStart);
                int take = Math.min(lengths[i] - skip, count - filled);
                System.arraycopy(arrays.get(i), offsets[i] + skip, copy, filled, take);
                filled += take;
            }
            partStart = partEnd;
        }
        return copy;
    }

    /** All bytes in one array: the array itself when there is one part that fills it. */
    public byte[] toByteArray() {
        if (lengths.length == 1 && offsets[0] == 0 && arrays.get(0).length == lengths[0]) {
            return arrays.get(0);
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("state of " + length + " bytes does not fit one array");
        }
        return copy(0, (int) length);
    }

    private static byte[] withLength(byte[] bytes) {
        byte[] framed = new byte[bytes.length + 4];
        framed[0] = (byte) (bytes.length >>> 24);
        framed[1] = (byte) (bytes.length >>> 16);
        framed[2] = (byte) (bytes.length >>> 8);
        framed[3] = (byte) bytes.length;
        System.arraycopy(bytes, 0, framed, 4, bytes.length);
        return framed;
    }

    /** Reads the bytes from the start, across parts; for headers and section lengths, not for bulk data. */
    public Cursor cursor() {
        return new Cursor();
    }

    /** A position in the bytes that reads big-endian values as {@link StateWriter} wrote them. */
    public final class Cursor {
        private int part;
        private int inPart;
        private long position;

        private Cursor() {
        }

        public long position() {
            return position;
        }

        public long remaining() {
            return length - position;
        }

        public byte readByte() {
            while (part < lengths.length && inPart == lengths[part]) {
                part++;
                inPart = 0;
            }
            if (part == lengths.length) {
                throw new SnapshotFormat.CorruptSnapshotException("snapshot ends at " + position);
            }
            position++;
            return arrays.get(part)[offsets[part] + inPart++];
        }

        public int readInt() {
            int value = 0;
            for (int i = 0; i < 4; i++) {
                value = (value << 8) | (readByte() & 0xFF);
            }
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

        /** The next {@code count} bytes, copied. */
        public byte[] readBytes(int count) {
            byte[] bytes = copy(position, count);
            skip(count);
            return bytes;
        }

        /** A string as {@link StateWriter#writeString} wrote it. */
        public String readString() {
            int bytes = readCount();
            return new StateReader(withLength(readBytes(bytes))).readString();
        }

        public void skip(long count) {
            if (count < 0 || count > remaining()) {
                throw new SnapshotFormat.CorruptSnapshotException("skipping " + count + " bytes at " + position + " of " + length);
            }
            long left = count;
            while (left > 0) {
                int available = lengths[part] - inPart;
                if (available == 0) {
                    part++;
                    inPart = 0;
                    continue;
                }
                int step = (int) Math.min(available, left);
                inPart += step;
                left -= step;
            }
            position += count;
        }
    }
}
