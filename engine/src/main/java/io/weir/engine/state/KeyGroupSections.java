package io.weir.engine.state;

import java.util.List;

/**
 * Keyed state in a snapshot, one section per non-empty key group in ascending order: the key group,
 * its entry count and byte length, then its entries. A restore reads the sections of the key groups
 * it owns and skips the others without decoding them.
 */
public final class KeyGroupSections {
    /** Writes entry {@code entry} (an index the caller chose) of a section. */
    @FunctionalInterface
    public interface EntryWriter {
        void write(int entry, StateWriter out);
    }

    /** Reads one entry of a section of key group {@code keyGroup}. */
    @FunctionalInterface
    public interface EntryReader {
        void read(int keyGroup, StateReader in);
    }

    private KeyGroupSections() {
    }

    /**
     * Writes entries {@code 0..count-1}, entry {@code e} in key group {@code keyGroups[e]}, after what
     * {@code out} holds. Entries are visited in index order, each written to its key group's buffer,
     * which are then appended: visiting them in key-group order instead reads the state arrays at
     * random (ten times slower at 1M groups).
     */
    public static void write(StateWriter out, int[] keyGroups, int count, EntryWriter writer) {
        StateBytes parts = writeParts(new StateWriter(16), keyGroups, count, writer);
        // one allocation of the final size, instead of growing by doubling and copying twice
        out.reserveExactly((int) Math.min(Integer.MAX_VALUE - 16, parts.length()));
        parts.forEachPart(out::write);
    }

    /**
     * As {@link #write}, but the result is {@code header}'s bytes followed by the sections' buffers as
     * they are, not copied into one array (see {@link StateBytes}).
     */
    public static StateBytes writeParts(StateWriter header, int[] keyGroups, int count, EntryWriter writer) {
        return writeParts(header, keyGroups, count, writer, new Buffers());
    }

    /**
     * The key groups' buffers of one operator's checkpoints, kept from one checkpoint to the next: a
     * checkpoint every second of a million groups would otherwise allocate tens of megabytes a second,
     * which a young collection during the write promotes to the old generation. What a checkpoint
     * wrote into them is valid until the operator's next checkpoint.
     */
    public static final class Buffers {
        private final StateWriter[] sections = new StateWriter[KeyGroups.COUNT];

        /** Group {@code group}'s buffer, emptied, with room for about {@code capacity} bytes. */
        StateWriter empty(int group, int capacity) {
            StateWriter section = sections[group];
            // a buffer far larger than needed now (the state shrank) is dropped rather than kept
            if (section == null || section.array().length > 4 * Math.max(capacity, 1 << 16)) {
                section = new StateWriter(capacity);
                sections[group] = section;
            }
            section.truncate(0);
            return section;
        }
    }

    /** As {@link #writeParts(StateWriter, int[], int, EntryWriter)}, into {@code buffers} (see {@link Buffers}). */
    public static StateBytes writeParts(StateWriter header, int[] keyGroups, int count, EntryWriter writer, Buffers buffers) {
        StateWriter[] sections = new StateWriter[KeyGroups.COUNT];
        int[] entries = new int[KeyGroups.COUNT];
        // buffers of at most 256 KiB to start with: young-generation arrays, not G1's humongous ones
        int sectionCapacity = (int) Math.min(1 << 18, Math.max(256, 12 + (long) count * 32 / KeyGroups.COUNT));
        for (int entry = 0; entry < count; entry++) {
            int group = keyGroups[entry];
            StateWriter section = sections[group];
            if (section == null) {
                section = buffers.empty(group, sectionCapacity);
                sections[group] = section;
                section.writeInt(group);
                section.writeInt(0); // entries and length, filled in below
                section.writeInt(0);
            }
            writer.write(entry, section);
            entries[group]++;
        }
        int nonEmpty = 0;
        for (int groupEntries : entries) {
            nonEmpty += groupEntries > 0 ? 1 : 0;
        }
        header.writeInt(nonEmpty);
        StateBytes.Builder parts = new StateBytes.Builder().add(header);
        for (int group = 0; group < KeyGroups.COUNT; group++) {
            StateWriter section = sections[group];
            if (section != null) {
                section.patchInt(4, entries[group]);
                section.patchInt(8, section.size() - 12);
                parts.add(section);
            }
        }
        return parts.build();
    }

    /** Reads the entries of the key groups in {@code keyGroups}; returns how many were read. */
    public static long read(StateReader in, KeyGroupRange keyGroups, EntryReader reader) {
        int sections = in.readCount();
        int previous = -1;
        long read = 0;
        for (int section = 0; section < sections; section++) {
            int group = in.readInt();
            if (group <= previous || group >= KeyGroups.COUNT) {
                throw new SnapshotFormat.CorruptSnapshotException("key group " + group + " after " + previous);
            }
            previous = group;
            int entries = in.readCount();
            int length = in.readCount();
            if (!keyGroups.contains(group)) {
                in.skip(length);
                continue;
            }
            int bodyStart = in.position();
            for (int i = 0; i < entries; i++) {
                reader.read(group, in);
            }
            if (in.position() - bodyStart != length) {
                throw new SnapshotFormat.CorruptSnapshotException("key group " + group + " section read "
                        + (in.position() - bodyStart) + " bytes of " + length);
            }
            read += entries;
        }
        return read;
    }

    /**
     * Reads the key-group sections {@link #write} wrote at each reader's position (one instance's
     * state each, instances owning disjoint key-group ranges, in range order), moving past them, and
     * adds their union to {@code out}: the section count, then every section as it is, not copied.
     */
    public static void combine(List<StateReader> ins, StateBytes.Builder out) {
        int total = 0;
        int previous = -1;
        int[] starts = new int[ins.size()];
        int[] ends = new int[ins.size()];
        for (int i = 0; i < ins.size(); i++) {
            StateReader in = ins.get(i);
            int sections = in.readCount();
            starts[i] = in.position();
            for (int section = 0; section < sections; section++) {
                int group = in.readInt();
                if (group <= previous || group >= KeyGroups.COUNT) {
                    throw new SnapshotFormat.CorruptSnapshotException("key group " + group + " after " + previous
                            + " (in two instances' state, or instances out of key-group order)");
                }
                previous = group;
                in.readCount();
                in.skip(in.readCount());
            }
            ends[i] = in.position();
            total += sections;
        }
        StateWriter count = new StateWriter(4);
        count.writeInt(total);
        out.add(count);
        for (int i = 0; i < ins.size(); i++) {
            out.add(ins.get(i).array(), starts[i], ends[i] - starts[i]);
        }
    }

    /** Fails the restore when a restored key hashes to another key group than its section's (the hashing changed). */
    public static void checkKeyGroup(int expected, int actual) {
        if (expected != actual) {
            throw new SnapshotFormat.CorruptSnapshotException("a key of key group " + expected + " now hashes to key group "
                    + actual + "; key hashing changed since the snapshot");
        }
    }
}
