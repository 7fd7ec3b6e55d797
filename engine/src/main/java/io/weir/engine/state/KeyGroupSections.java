package io.weir.engine.state;

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
     * Writes entries {@code 0..count-1}, entry {@code e} in key group {@code keyGroups[e]}. Entries are
     * visited in index order, each written to its key group's buffer, which are then appended: visiting
     * them in key-group order instead reads the state arrays at random (ten times slower at 1M groups).
     */
    public static void write(StateWriter out, int[] keyGroups, int count, EntryWriter writer) {
        StateWriter[] sections = new StateWriter[KeyGroups.COUNT];
        int[] entries = new int[KeyGroups.COUNT];
        int sectionCapacity = (int) Math.min(1 << 20, Math.max(256, (long) count * 32 / KeyGroups.COUNT));
        for (int entry = 0; entry < count; entry++) {
            int group = keyGroups[entry];
            StateWriter section = sections[group];
            if (section == null) {
                section = new StateWriter(sectionCapacity);
                sections[group] = section;
            }
            writer.write(entry, section);
            entries[group]++;
        }
        int nonEmpty = 0;
        for (int groupEntries : entries) {
            nonEmpty += groupEntries > 0 ? 1 : 0;
        }
        long total = 4;
        for (int group = 0; group < KeyGroups.COUNT; group++) {
            total += entries[group] == 0 ? 0 : 12L + sections[group].size();
        }
        // one allocation of the final size, instead of growing by doubling and copying twice (these are 100 MB at 5M groups)
        out.reserveExactly((int) Math.min(Integer.MAX_VALUE - 16, total));
        out.writeInt(nonEmpty);
        for (int group = 0; group < KeyGroups.COUNT; group++) {
            if (entries[group] == 0) {
                continue;
            }
            out.writeInt(group);
            out.writeInt(entries[group]);
            out.writeInt(sections[group].size());
            sections[group].copyTo(out);
            sections[group] = null; // free each buffer once copied
        }
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

    /** Fails the restore when a restored key hashes to another key group than its section's (the hashing changed). */
    public static void checkKeyGroup(int expected, int actual) {
        if (expected != actual) {
            throw new SnapshotFormat.CorruptSnapshotException("a key of key group " + expected + " now hashes to key group "
                    + actual + "; key hashing changed since the snapshot");
        }
    }
}
