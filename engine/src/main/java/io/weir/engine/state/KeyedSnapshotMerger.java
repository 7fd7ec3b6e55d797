package io.weir.engine.state;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Folds a full {@link KeyedSnapshot} and the deltas written after it into one full snapshot, without
 * the operator: an entry is identified by its key bytes, so a later entry replaces an earlier one, a
 * removed key or key prefix drops the entries before it, and the newest header wins. Used to restore
 * a checkpoint that is a chain of deltas and to compact such a chain in the background.
 *
 * <p>Hand-written for speed: the deltas are folded into a map first (they are small next to the base),
 * then the base is copied through section by section, entry bytes unchanged, skipping what the deltas
 * replaced; a key group no delta touched is copied in one piece.
 */
public final class KeyedSnapshotMerger {
    private KeyedSnapshotMerger() {
    }

    /**
     * The full snapshot equal to {@code chain} applied in order (oldest first). Restores start at the
     * last full snapshot in it; there must be one.
     *
     * @throws SnapshotFormat.CorruptSnapshotException when a part is damaged, has no full snapshot
     *         before its deltas, or the parts are of different operators
     */
    public static byte[] merge(List<byte[]> chain) {
        requireNonNull(chain, "chain is null");
        int baseIndex = -1;
        for (int i = chain.size() - 1; i >= 0; i--) {
            if (!KeyedSnapshot.isDelta(chain.get(i))) {
                baseIndex = i;
                break;
            }
        }
        if (baseIndex < 0) {
            throw new SnapshotFormat.CorruptSnapshotException("deltas without the full snapshot they apply to");
        }
        if (baseIndex == chain.size() - 1) {
            return chain.get(baseIndex);
        }
        Parsed base = Parsed.of(chain.get(baseIndex));
        List<byte[]> removedPrefixes = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Map<Bytes, Bytes>[] changes = new Map[KeyGroups.COUNT];
        Parsed newest = base;
        for (int i = baseIndex + 1; i < chain.size(); i++) {
            Parsed delta = Parsed.of(chain.get(i));
            if (!delta.kind.equals(base.kind) || !delta.layout.equals(base.layout)) {
                throw new SnapshotFormat.CorruptSnapshotException("a delta of " + delta.kind + " " + delta.layout
                        + " after a snapshot of " + base.kind + " " + base.layout);
            }
            for (byte[] prefix : delta.removedPrefixes) {
                for (Map<Bytes, Bytes> group : changes) {
                    if (group != null) {
                        group.keySet().removeIf(key -> key.startsWith(prefix));
                    }
                }
                removedPrefixes.add(prefix);
            }
            delta.forEachEntry((group, key, value) -> {
                if (changes[group] == null) {
                    changes[group] = new HashMap<>();
                }
                changes[group].put(key, value); // null: removed
            });
            newest = delta;
        }
        return write(base, newest, removedPrefixes, changes);
    }

    private static byte[] write(Parsed base, Parsed newest, List<byte[]> removedPrefixes, Map<Bytes, Bytes>[] changes) {
        StateWriter out = new StateWriter(base.bytes.length + 1024);
        out.writeInt(KeyedSnapshot.MAGIC);
        out.writeInt(KeyedSnapshot.VERSION);
        out.writeByte(KeyedSnapshot.FULL);
        out.writeString(newest.kind);
        out.writeString(newest.layout);
        out.writeInt(newest.headerLength);
        out.write(newest.bytes, newest.headerOffset, newest.headerLength);
        int sectionCountPosition = out.reserveInt();
        int sections = 0;
        byte[] bytes = base.bytes;
        for (int group = 0; group < KeyGroups.COUNT; group++) {
            Map<Bytes, Bytes> groupChanges = changes[group];
            boolean untouched = (groupChanges == null || groupChanges.isEmpty()) && removedPrefixes.isEmpty();
            int sectionOffset = base.sectionOffsets[group];
            if (untouched && sectionOffset >= 0) {
                out.writeInt(group);
                out.writeInt(base.sectionEntries[group]);
                out.writeInt(base.sectionLengths[group]);
                out.write(bytes, sectionOffset, base.sectionLengths[group]);
                sections++;
                continue;
            }
            int entries = 0;
            int header = out.size();
            out.writeInt(group);
            int entriesPosition = out.reserveInt();
            int lengthPosition = out.reserveInt();
            int bodyStart = out.size();
            if (sectionOffset >= 0) {
                StateReader in = new StateReader(bytes);
                in.skip(sectionOffset);
                for (int i = 0; i < base.sectionEntries[group]; i++) {
                    int entryStart = in.position();
                    Bytes key = Bytes.read(in);
                    in.skip(in.readVarInt() - 1);
                    if (startsWithAny(key, removedPrefixes) || (groupChanges != null && groupChanges.containsKey(key))) {
                        continue;
                    }
                    out.write(bytes, entryStart, in.position() - entryStart);
                    entries++;
                }
            }
            if (groupChanges != null) {
                for (Map.Entry<Bytes, Bytes> change : groupChanges.entrySet()) {
                    Bytes value = change.getValue();
                    if (value == null) {
                        continue;
                    }
                    Bytes key = change.getKey();
                    out.writeVarInt(key.length);
                    out.write(key.array, key.offset, key.length);
                    out.writeVarInt(value.length + 1);
                    out.write(value.array, value.offset, value.length);
                    entries++;
                }
            }
            if (entries == 0) {
                out.truncate(header);
                continue;
            }
            out.patchInt(entriesPosition, entries);
            out.patchInt(lengthPosition, out.size() - bodyStart);
            sections++;
        }
        out.patchInt(sectionCountPosition, sections);
        return out.toByteArray();
    }

    private static boolean startsWithAny(Bytes key, List<byte[]> prefixes) {
        for (byte[] prefix : prefixes) {
            if (key.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /** A range of a byte array, compared by content. */
    static final class Bytes {
        final byte[] array;
        final int offset;
        final int length;
        private final int hash;

        Bytes(byte[] array, int offset, int length) {
            this.array = array;
            this.offset = offset;
            this.length = length;
            int h = 1;
            for (int i = offset; i < offset + length; i++) {
                h = 31 * h + array[i];
            }
            this.hash = h;
        }

        /** Reads a varint length and that many bytes. */
        static Bytes read(StateReader in) {
            int length = in.readVarInt();
            int offset = in.position();
            in.skip(length);
            return new Bytes(in.array(), offset, length);
        }

        boolean startsWith(byte[] prefix) {
            return length >= prefix.length && Arrays.equals(array, offset, offset + prefix.length, prefix, 0, prefix.length);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Bytes that && that.hash == hash
                    && Arrays.equals(array, offset, offset + length, that.array, that.offset, that.offset + that.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    @FunctionalInterface
    private interface EntryVisitor {
        /** {@code value} null for a removed key. */
        void visit(int group, Bytes key, Bytes value);
    }

    /** Where the parts of a keyed snapshot are in its bytes. */
    private static final class Parsed {
        final byte[] bytes;
        final String kind;
        final String layout;
        final int headerOffset;
        final int headerLength;
        final List<byte[]> removedPrefixes = new ArrayList<>();
        final int[] sectionOffsets = new int[KeyGroups.COUNT];
        final int[] sectionEntries = new int[KeyGroups.COUNT];
        final int[] sectionLengths = new int[KeyGroups.COUNT];

        private Parsed(byte[] bytes) {
            this.bytes = bytes;
            if (!KeyedSnapshot.isKeyed(bytes)) {
                throw new SnapshotFormat.CorruptSnapshotException("not a keyed snapshot");
            }
            StateReader in = new StateReader(bytes);
            in.readInt();
            int version = in.readInt();
            if (version != KeyedSnapshot.VERSION) {
                throw new SnapshotFormat.CorruptSnapshotException("keyed snapshot format version " + version);
            }
            boolean delta = in.readByte() == KeyedSnapshot.DELTA;
            kind = in.readString();
            layout = in.readString();
            headerLength = in.readCount();
            headerOffset = in.position();
            in.skip(headerLength);
            if (delta) {
                int prefixes = in.readCount();
                for (int i = 0; i < prefixes; i++) {
                    byte[] prefix = new byte[in.readCount()];
                    in.readFully(prefix);
                    removedPrefixes.add(prefix);
                }
            }
            Arrays.fill(sectionOffsets, -1);
            int sections = in.readCount();
            int previous = -1;
            for (int i = 0; i < sections; i++) {
                int group = in.readInt();
                if (group <= previous || group >= KeyGroups.COUNT) {
                    throw new SnapshotFormat.CorruptSnapshotException("key group " + group + " after " + previous);
                }
                previous = group;
                sectionEntries[group] = in.readCount();
                sectionLengths[group] = in.readCount();
                sectionOffsets[group] = in.position();
                in.skip(sectionLengths[group]);
            }
            if (in.remaining() != 0) {
                throw new SnapshotFormat.CorruptSnapshotException(in.remaining() + " bytes left over");
            }
        }

        static Parsed of(byte[] bytes) {
            return new Parsed(bytes);
        }

        void forEachEntry(EntryVisitor visitor) {
            for (int group = 0; group < KeyGroups.COUNT; group++) {
                if (sectionOffsets[group] < 0) {
                    continue;
                }
                StateReader in = new StateReader(bytes);
                in.skip(sectionOffsets[group]);
                for (int i = 0; i < sectionEntries[group]; i++) {
                    Bytes key = Bytes.read(in);
                    int valueLength = in.readVarInt() - 1;
                    Bytes value = null;
                    if (valueLength >= 0) {
                        value = new Bytes(bytes, in.position(), valueLength);
                        in.skip(valueLength);
                    }
                    visitor.visit(group, key, value);
                }
                if (in.position() != sectionOffsets[group] + sectionLengths[group]) {
                    throw new SnapshotFormat.CorruptSnapshotException("key group " + group + " section length differs from its entries");
                }
            }
        }
    }
}
