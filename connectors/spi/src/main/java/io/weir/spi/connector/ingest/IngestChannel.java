package io.weir.spi.connector.ingest;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The records pushed to one stream of the {@code http} connector: a bounded in-memory log of raw
 * records (UTF-8 bytes, one JSON object or CSV line each) with monotonically increasing offsets, the
 * first record at offset 0. Readers keep their own offset, so every reader sees every record
 * (fan-out). When the log holds {@link #capacity()} records, appending drops the oldest ones; a reader
 * that had not read them yet learns how many it missed from {@link Slice#missed()}. Thread-safe.
 */
public final class IngestChannel {
    /** The ring starts small and grows up to the capacity, so an idle stream costs little memory. */
    private static final int INITIAL_RING_SIZE = 64;

    private final String name;
    private byte[][] ring;
    /** When each record of {@link #ring} was appended ({@link System#nanoTime()}), at the same index. */
    private long[] arrivals;
    private int capacity;
    /** The offset the next appended record gets. */
    private long endOffset;
    /** Records retained: offsets {@code endOffset - size} to {@code endOffset - 1}. */
    private int size;
    private long dropped;

    IngestChannel(String name, int capacity) {
        this.name = requireNonNull(name, "name is null");
        this.capacity = checkCapacity(capacity);
        this.ring = new byte[Math.min(capacity, INITIAL_RING_SIZE)][];
        this.arrivals = new long[ring.length];
    }

    public String name() {
        return name;
    }

    public synchronized int capacity() {
        return capacity;
    }

    /**
     * Changes the number of records kept (a stream re-created with another {@code 'buffer.max-records'});
     * a smaller capacity drops the oldest records now.
     */
    public synchronized void resize(int newCapacity) {
        checkCapacity(newCapacity);
        if (newCapacity == capacity) {
            return;
        }
        int kept = Math.min(size, newCapacity);
        dropped += size - kept;
        byte[][] newRing = new byte[Math.max(Math.min(newCapacity, ring.length), kept)][];
        long[] newArrivals = new long[newRing.length];
        copyRetained(kept, newRing, newArrivals);
        ring = newRing;
        arrivals = newArrivals;
        size = kept;
        capacity = newCapacity;
    }

    /** Appends records in order; the oldest ones are dropped when the log is full. */
    public synchronized void append(List<byte[]> records) {
        long now = System.nanoTime();
        for (byte[] record : records) {
            append(requireNonNull(record, "record is null"), now);
        }
    }

    private void append(byte[] record, long arrivalNanos) {
        if (size == ring.length && ring.length < capacity) {
            byte[][] bigger = new byte[(int) Math.min(capacity, 2L * ring.length)][];
            long[] biggerArrivals = new long[bigger.length];
            copyRetained(size, bigger, biggerArrivals);
            ring = bigger;
            arrivals = biggerArrivals;
        }
        arrivals[index(endOffset)] = arrivalNanos;
        ring[index(endOffset)] = record;
        endOffset++;
        if (size < capacity) {
            size++;
        } else {
            dropped++;
        }
    }

    /**
     * Up to {@code maxRecords} records from offset {@code from} on. When records at {@code from} were
     * already dropped, the slice starts at the oldest retained record and says how many were missed.
     */
    public synchronized Slice read(long from, int maxRecords) {
        if (from < 0 || from > endOffset) {
            throw new IllegalArgumentException("offset " + from + " is outside 0.." + endOffset);
        }
        long first = Math.max(from, firstOffset());
        int count = (int) Math.min(maxRecords, endOffset - first);
        List<byte[]> records = new ArrayList<>(Math.max(count, 0));
        long[] arrived = new long[Math.max(count, 0)];
        for (long offset = first; offset < first + count; offset++) {
            arrived[records.size()] = arrivals[index(offset)];
            records.add(ring[index(offset)]);
        }
        return new Slice(first - from, records, arrived, first + count);
    }

    /** The offset of the oldest record still held. */
    public synchronized long firstOffset() {
        return endOffset - size;
    }

    /** The offset the next appended record gets: a reader starting here sees only new records. */
    public synchronized long endOffset() {
        return endOffset;
    }

    /** Records held now. */
    public synchronized int size() {
        return size;
    }

    /** Records dropped because the log was full, since the channel was created. */
    public synchronized long droppedRecords() {
        return dropped;
    }

    private int index(long offset) {
        return (int) (offset % ring.length);
    }

    /** Copies the newest {@code count} records and their arrivals into {@code target} at their offsets' positions. */
    private void copyRetained(int count, byte[][] target, long[] targetArrivals) {
        for (long offset = endOffset - count; offset < endOffset; offset++) {
            target[(int) (offset % target.length)] = ring[index(offset)];
            targetArrivals[(int) (offset % target.length)] = arrivals[index(offset)];
        }
    }

    private static int checkCapacity(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        return capacity;
    }

    /**
     * The result of {@link #read}.
     *
     * @param missed     records between the requested offset and the first one returned that were dropped
     * @param records    the records, in offset order
     * @param arrivalNanos when each record was appended ({@link System#nanoTime()})
     * @param nextOffset where the next read continues
     */
    public record Slice(long missed, List<byte[]> records, long[] arrivalNanos, long nextOffset) {
        public Slice {
            records = List.copyOf(requireNonNull(records, "records is null"));
            requireNonNull(arrivalNanos, "arrivalNanos is null");
            if (arrivalNanos.length != records.size()) {
                throw new IllegalArgumentException(arrivalNanos.length + " arrivals for " + records.size() + " records");
            }
        }
    }

    @Override
    public synchronized String toString() {
        return "IngestChannel[" + name + ", offsets " + firstOffset() + ".." + endOffset + ", capacity " + capacity
                + ", dropped " + dropped + "]";
    }
}
