package io.weir.engine.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A snapshot's bytes as a sequence of arrays, each used up to its length. Keyed state of a million
 * groups is written by key group into buffers of a few hundred kilobytes; handing those on as they are
 * saves copying them into one array of 100 MB, which would also be allocated outside the young
 * generation and start an old-generation collection.
 */
public final class StateBytes {
    private final List<byte[]> arrays;
    private final int[] lengths;
    private final long length;

    private StateBytes(List<byte[]> arrays, int[] lengths) {
        this.arrays = arrays;
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
        return new StateBytes(List.of(bytes), new int[] {bytes.length});
    }

    /** Takes each part's first {@code length} bytes, in order. */
    public interface PartConsumer<E extends Exception> {
        void accept(byte[] array, int length) throws E;
    }

    /** Collects parts; the arrays are not copied, so they must not change afterwards. */
    public static final class Builder {
        private final List<byte[]> arrays = new ArrayList<>();
        private int[] lengths = new int[8];

        public Builder add(byte[] array, int length) {
            requireNonNull(array, "array is null");
            if (length < 0 || length > array.length) {
                throw new IllegalArgumentException("length " + length + " of an array of " + array.length);
            }
            if (length > 0) {
                if (arrays.size() == lengths.length) {
                    lengths = Arrays.copyOf(lengths, lengths.length * 2);
                }
                lengths[arrays.size()] = length;
                arrays.add(array);
            }
            return this;
        }

        public Builder add(StateWriter writer) {
            return add(writer.array(), writer.size());
        }

        public StateBytes build() {
            return new StateBytes(List.copyOf(arrays), Arrays.copyOf(lengths, arrays.size()));
        }
    }

    public long length() {
        return length;
    }

    /** Hands each part to {@code consumer}, in order. */
    public <E extends Exception> void forEachPart(PartConsumer<E> consumer) throws E {
        for (int i = 0; i < lengths.length; i++) {
            consumer.accept(arrays.get(i), lengths[i]);
        }
    }

    /** The first {@code count} bytes (fewer when shorter), for reading a header. */
    public byte[] prefix(int count) {
        byte[] prefix = new byte[(int) Math.min(count, length)];
        int filled = 0;
        for (int i = 0; i < lengths.length && filled < prefix.length; i++) {
            int take = Math.min(lengths[i], prefix.length - filled);
            System.arraycopy(arrays.get(i), 0, prefix, filled, take);
            filled += take;
        }
        return prefix;
    }

    /** All bytes in one array: the array itself when there is one part that fills it. */
    public byte[] toByteArray() {
        if (lengths.length == 1 && arrays.get(0).length == lengths[0]) {
            return arrays.get(0);
        }
        if (length > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("state of " + length + " bytes does not fit one array");
        }
        byte[] all = new byte[(int) length];
        int at = 0;
        for (int i = 0; i < lengths.length; i++) {
            System.arraycopy(arrays.get(i), 0, all, at, lengths[i]);
            at += lengths[i];
        }
        return all;
    }
}
