package io.weir.engine.state;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;

import static java.util.Objects.requireNonNull;

/**
 * Keyed operator state as self-describing entries, so that a checkpoint can hold either all of it
 * (full) or only what changed since the previous checkpoint (delta), and {@link KeyedSnapshotMerger}
 * can fold a full snapshot and the deltas after it into a new full one without the operator.
 *
 * <p>Layout: magic, version, type (full or delta), the operator kind and state layout (checked on
 * restore as {@link SnapshotFormat} does), the operator's non-keyed header (length, bytes); a delta
 * then lists key prefixes removed since the previous checkpoint (e.g. every entry of a fired window);
 * then the entries by key group as {@link KeyGroupSections} writes them, each entry being
 * {@code varint keyLength, key, varint valueLength + 1, value}, where a value length of 0 marks a key
 * removed (deltas only). An entry's key bytes identify it: a later entry with the same key replaces it.
 */
public final class KeyedSnapshot {
    /** "WSk1": tells keyed state from other snapshots. */
    static final int MAGIC = 0x57536B31;
    static final int VERSION = 1;
    static final byte FULL = 0;
    static final byte DELTA = 1;

    /** Reads one entry of a full snapshot: the key, then the value of what the key returned. */
    public interface EntryReader {
        /** Reads the key at {@code in}'s position; returns what {@link #readValue} gets (e.g. a slot). */
        int readKey(int keyGroup, StateReader in);

        void readValue(int handle, StateReader in);
    }

    /**
     * Reads the non-keyed header knowing how long it is: for an operator whose header gained fields at its end in a
     * later version of its state, which tells the versions apart by the header's length.
     */
    @FunctionalInterface
    public interface SizedHeaderReader {
        void read(StateReader in, int length);
    }

    /** Writes the non-keyed header of a snapshot combined from instances' snapshots (see {@link #combine}). */
    @FunctionalInterface
    public interface HeaderCombiner {
        /** {@code headers}: each instance's header, in the order of their key-group ranges. */
        void combine(List<StateReader> headers, StateWriter out);
    }

    private KeyedSnapshot() {
    }

    /**
     * The snapshot an instance owning every key group would have written, from the snapshots of
     * instances owning disjoint key-group ranges ({@link SnapshottableState#combine}): all full or all
     * deltas of one kind and layout; the headers combined by {@code headers}, the key prefixes the
     * deltas removed once each, and every instance's key-group sections, in key-group order, not copied.
     *
     * @throws WeirException ({@link ErrorCode#INTERNAL_ERROR}) when they are not snapshots of one
     *         operator, mix full ones and deltas, or share a key group
     */
    public static StateBytes combine(List<StateBytes> snapshots, HeaderCombiner headers) {
        requireNonNull(headers, "headers is null");
        if (snapshots.size() == 1) {
            return snapshots.get(0);
        }
        try {
            List<Parts> parts = new ArrayList<>(snapshots.size());
            for (StateBytes snapshot : snapshots) {
                parts.add(Parts.of(snapshot));
            }
            Parts first = parts.get(0);
            StateWriter out = new StateWriter(256);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeByte(first.type);
            out.writeString(first.kind);
            out.writeString(first.layout);
            List<StateReader> headerReaders = new ArrayList<>(parts.size());
            List<byte[]> removed = new ArrayList<>();
            int sections = 0;
            int previousGroup = -1;
            for (Parts part : parts) {
                if (part.type != first.type || !part.kind.equals(first.kind) || !part.layout.equals(first.layout)) {
                    throw new SnapshotFormat.CorruptSnapshotException("a " + (part.type == DELTA ? "delta" : "snapshot") + " of "
                            + part.kind + " " + part.layout + " with a " + (first.type == DELTA ? "delta" : "snapshot") + " of "
                            + first.kind + " " + first.layout);
                }
                headerReaders.add(new StateReader(part.header));
                for (byte[] prefix : part.removedPrefixes) {
                    if (removed.stream().noneMatch(known -> Arrays.equals(known, prefix))) {
                        removed.add(prefix);
                    }
                }
                if (part.firstGroup >= 0 && part.firstGroup <= previousGroup) {
                    throw new SnapshotFormat.CorruptSnapshotException("key group " + part.firstGroup
                            + " in the snapshots of two instances, or instances out of key-group order");
                }
                previousGroup = Math.max(previousGroup, part.lastGroup);
                sections += part.sections;
            }
            int headerLength = out.reserveInt();
            headers.combine(headerReaders, out);
            out.patchInt(headerLength, out.size() - headerLength - 4);
            if (first.type == DELTA) {
                out.writeInt(removed.size());
                for (byte[] prefix : removed) {
                    out.writeInt(prefix.length);
                    out.write(prefix);
                }
            }
            out.writeInt(sections);
            StateBytes.Builder combined = new StateBytes.Builder().add(out);
            for (Parts part : parts) {
                combined.add(part.sectionBytes);
            }
            return combined.build();
        } catch (SnapshotFormat.CorruptSnapshotException | IllegalArgumentException e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot combine the state of a query's tasks: " + e.getMessage(), e);
        }
    }

    /** Where the parts of one instance's keyed snapshot are. */
    private record Parts(byte type, String kind, String layout, byte[] header, List<byte[]> removedPrefixes, int sections,
                         int firstGroup, int lastGroup, StateBytes sectionBytes) {
        static Parts of(StateBytes snapshot) {
            StateBytes.Cursor in = snapshot.cursor();
            if (snapshot.length() <= 8 || in.readInt() != MAGIC) {
                throw new SnapshotFormat.CorruptSnapshotException("not a keyed snapshot");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new SnapshotFormat.CorruptSnapshotException("keyed snapshot format version " + version);
            }
            byte type = in.readByte();
            String kind = in.readString();
            String layout = in.readString();
            byte[] header = in.readBytes(in.readCount());
            List<byte[]> removed = new ArrayList<>();
            if (type == DELTA) {
                int prefixes = in.readCount();
                for (int i = 0; i < prefixes; i++) {
                    removed.add(in.readBytes(in.readCount()));
                }
            }
            int sections = in.readCount();
            long start = in.position();
            int first = -1;
            int previous = -1;
            for (int section = 0; section < sections; section++) {
                int group = in.readInt();
                if (group <= previous || group >= KeyGroups.COUNT) {
                    throw new SnapshotFormat.CorruptSnapshotException("key group " + group + " after " + previous);
                }
                first = section == 0 ? group : first;
                previous = group;
                in.readCount();
                in.skip(in.readCount());
            }
            if (in.remaining() != 0) {
                throw new SnapshotFormat.CorruptSnapshotException(in.remaining() + " bytes left over");
            }
            return new Parts(type, kind, layout, header, removed, sections, first, previous,
                    snapshot.slice(start, snapshot.length()));
        }
    }

    /** Whether {@code section} is keyed state that holds only changes, which a restore must apply to the state before it. */
    public static boolean isDelta(byte[] section) {
        return isKeyed(section) && section[8] == DELTA;
    }

    /** Whether {@code section} is keyed state that holds only changes (see {@link #isDelta(byte[])}). */
    public static boolean isDelta(StateBytes section) {
        return isDelta(section.prefix(9));
    }

    /** Whether {@code section} is keyed state in this format. */
    public static boolean isKeyed(byte[] section) {
        return section.length > 8 && new StateReader(section).readInt() == MAGIC;
    }

    /**
     * A full snapshot ({@code removedPrefixes} null) or a delta: the header, then entries
     * {@code 0..count-1}, entry {@code e} in key group {@code keyGroups[e]}, removed when
     * {@code removed} says so (deltas only), else written by {@code value}.
     */
    public static StateBytes write(String kind, String layout, int expectedBytes, SnapshotFormat.Body header,
                               List<byte[]> removedPrefixes, int[] keyGroups, int count, KeyGroupSections.EntryWriter key,
                               KeyGroupSections.EntryWriter value, IntPredicate removed) {
        return write(kind, layout, expectedBytes, header, removedPrefixes, keyGroups, count, key, value, removed,
                new KeyGroupSections.Buffers());
    }

    /** As above, with the entries written into {@code buffers}, valid until they are used again. */
    public static StateBytes write(String kind, String layout, int expectedBytes, SnapshotFormat.Body header,
                               List<byte[]> removedPrefixes, int[] keyGroups, int count, KeyGroupSections.EntryWriter key,
                               KeyGroupSections.EntryWriter value, IntPredicate removed, KeyGroupSections.Buffers buffers) {
        requireNonNull(header, "header is null");
        // the header only: the entries follow in their key groups' buffers (see StateBytes)
        StateWriter out = new StateWriter(Math.min(expectedBytes, 4096));
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeByte(removedPrefixes == null ? FULL : DELTA);
        out.writeString(kind);
        out.writeString(layout);
        int headerLength = out.reserveInt();
        header.write(out);
        out.patchInt(headerLength, out.size() - headerLength - 4);
        if (removedPrefixes != null) {
            out.writeInt(removedPrefixes.size());
            for (byte[] prefix : removedPrefixes) {
                out.writeInt(prefix.length);
                out.write(prefix);
            }
        }
        return KeyGroupSections.writeParts(out, keyGroups, count, (entry, entryOut) -> {
            int keyStart = entryOut.startVarLength();
            key.write(entry, entryOut);
            entryOut.finishVarLength(keyStart, 0);
            if (removed != null && removed.test(entry)) {
                entryOut.writeVarInt(0);
                return;
            }
            int valueStart = entryOut.startVarLength();
            value.write(entry, entryOut);
            entryOut.finishVarLength(valueStart, 1);
        }, buffers);
    }

    /**
     * Reads a full snapshot written for {@code kind} and {@code layout}: the header, then the entries of
     * the key groups in {@code keyGroups}.
     *
     * @throws WeirException ({@link ErrorCode#INTERNAL_ERROR}) for a delta, a snapshot of another kind,
     *         layout or version, or a damaged one
     */
    public static void read(byte[] snapshot, String kind, String layout, KeyGroupRange keyGroups, SnapshotFormat.Reader header,
                            EntryReader entries) {
        requireNonNull(header, "header is null");
        read(snapshot, kind, layout, keyGroups, (SizedHeaderReader) (in, length) -> header.read(in), entries);
    }

    /** As above, the header read knowing its length. */
    public static void read(byte[] snapshot, String kind, String layout, KeyGroupRange keyGroups, SizedHeaderReader header,
                            EntryReader entries) {
        requireNonNull(snapshot, "snapshot is null");
        try {
            StateReader in = new StateReader(snapshot);
            if (!isKeyed(snapshot)) {
                SnapshotFormat.kindOf(snapshot).ifPresent(other -> {
                    throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore " + kind + " state from a snapshot of a "
                            + other + " operator" + (other.equals(kind) ? " of an older format" : ""));
                });
                throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore " + kind + " state: the "
                        + snapshot.length + " bytes given are not an operator snapshot");
            }
            in.readInt();
            int version = in.readInt();
            if (version != VERSION) {
                throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore " + kind + " state: keyed snapshot format version "
                        + version + ", this server reads version " + VERSION);
            }
            if (in.readByte() != FULL) {
                throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore " + kind
                        + " state from a delta alone: merge it into the full snapshot before it first");
            }
            SnapshotFormat.readKindAndLayout(in, kind, layout);
            int headerLength = in.readCount();
            int headerStart = in.position();
            header.read(in, headerLength);
            checkRead("header", in.position() - headerStart, headerLength);
            KeyGroupSections.read(in, keyGroups, (keyGroup, entryIn) -> {
                int keyLength = entryIn.readVarInt();
                int keyStart = entryIn.position();
                int handle = entries.readKey(keyGroup, entryIn);
                checkRead("key", entryIn.position() - keyStart, keyLength);
                int valueLength = entryIn.readVarInt() - 1;
                if (valueLength < 0) {
                    throw new SnapshotFormat.CorruptSnapshotException("a removed key in a full snapshot");
                }
                int valueStart = entryIn.position();
                entries.readValue(handle, entryIn);
                checkRead("value", entryIn.position() - valueStart, valueLength);
            });
            if (in.remaining() != 0) {
                throw new SnapshotFormat.CorruptSnapshotException(in.remaining() + " bytes left over");
            }
        } catch (SnapshotFormat.CorruptSnapshotException | IllegalArgumentException | ClassCastException e) {
            throw new WeirException(ErrorCode.INTERNAL_ERROR, "Cannot restore " + kind + " state: the snapshot is damaged ("
                    + e.getMessage() + ")", e);
        }
    }

    private static void checkRead(String what, int read, int written) {
        if (read != written) {
            throw new SnapshotFormat.CorruptSnapshotException("read " + read + " bytes of a " + what + " of " + written);
        }
    }
}
