package io.weir.engine.state;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateBytesTest {
    @Test
    void partsReadAsTheirBytesInOrder() {
        byte[] first = {1, 2, 3, 99};
        byte[] second = {4, 5};
        byte[] third = {6, 7, 8, 9, 10, 99, 99};
        StateBytes bytes = new StateBytes.Builder().add(first, 3).add(new byte[5], 0).add(second, 2).add(third, 5).build();

        assertThat(bytes.length()).isEqualTo(10);
        assertThat(bytes.toByteArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        assertThat(bytes.prefix(4)).containsExactly(1, 2, 3, 4);
        assertThat(bytes.prefix(50)).hasSize(10);
    }

    @Test
    void oneFullArrayIsNotCopied() {
        byte[] array = {1, 2, 3};
        assertThat(StateBytes.of(array).toByteArray()).isSameAs(array);
    }

    @Test
    void keyGroupSectionsInPartsAreTheBytesOfOneArray() {
        int count = 10_000;
        int[] keyGroups = new int[count];
        for (int i = 0; i < count; i++) {
            keyGroups[i] = (i * 31) % KeyGroups.COUNT;
        }
        KeyGroupSections.EntryWriter entry = (i, out) -> {
            out.writeLong(i);
            out.writeString("entry " + i);
        };
        StateWriter whole = new StateWriter(16);
        whole.writeInt(42);
        KeyGroupSections.write(whole, keyGroups, count, entry);
        StateWriter header = new StateWriter(16);
        header.writeInt(42);
        StateBytes parts = KeyGroupSections.writeParts(header, keyGroups, count, entry);

        assertThat(parts.toByteArray()).isEqualTo(Arrays.copyOf(whole.array(), whole.size()));
    }

    @Test
    void aSliceSharesTheArraysOfItsRange() {
        byte[] first = {0, 1, 2, 3};
        byte[] second = {4, 5, 6, 7, 8};
        StateBytes bytes = new StateBytes.Builder().add(first, 1, 3).add(second, 5).build();

        assertThat(bytes.toByteArray()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(bytes.slice(2, 6).toByteArray()).containsExactly(3, 4, 5, 6);
        assertThat(bytes.slice(3, 3).length()).isZero();
        assertThat(bytes.copy(1, 3)).containsExactly(2, 3, 4);
        StateBytes.Builder again = new StateBytes.Builder().add(bytes.slice(0, 2)).add(bytes.slice(6, 8));
        assertThat(again.build().toByteArray()).containsExactly(1, 2, 7, 8);
    }

    @Test
    void aCursorReadsValuesAcrossParts() {
        StateWriter out = new StateWriter(16);
        out.writeInt(123_456_789);
        out.writeString("key groups");
        out.writeByte(7);
        out.writeInt(-5);
        byte[] all = Arrays.copyOf(out.array(), out.size());
        // cut into parts of 3 bytes: every value crosses a part
        StateBytes.Builder parts = new StateBytes.Builder();
        for (int at = 0; at < all.length; at += 3) {
            parts.add(Arrays.copyOfRange(all, at, Math.min(all.length, at + 3)), Math.min(3, all.length - at));
        }
        StateBytes.Cursor in = parts.build().cursor();

        assertThat(in.readInt()).isEqualTo(123_456_789);
        assertThat(in.readString()).isEqualTo("key groups");
        assertThat(in.readByte()).isEqualTo((byte) 7);
        assertThatThrownBy(in::readCount).isInstanceOf(SnapshotFormat.CorruptSnapshotException.class);
        assertThat(in.remaining()).isZero();
        assertThatThrownBy(in::readByte).isInstanceOf(SnapshotFormat.CorruptSnapshotException.class);
    }

    @Test
    void keyedSnapshotsOfOverlappingKeyGroupsOrOfTwoKindsDoNotCombine() {
        KeyGroupSections.EntryWriter key = (i, out) -> out.writeLong(i);
        KeyGroupSections.EntryWriter value = (i, out) -> out.writeLong(i * 10);
        StateBytes low = KeyedSnapshot.write("test", "layout", 64, out -> out.writeLong(1), null, new int[] {3, 5}, 2, key, value, null);
        StateBytes high = KeyedSnapshot.write("test", "layout", 64, out -> out.writeLong(2), null, new int[] {70}, 1, key, value, null);
        StateBytes other = KeyedSnapshot.write("other", "layout", 64, out -> out.writeLong(2), null, new int[] {70}, 1, key, value, null);
        KeyedSnapshot.HeaderCombiner first = (headers, out) -> out.writeLong(headers.get(0).readLong());

        StateBytes combined = KeyedSnapshot.combine(List.of(low, high), first);
        assertThat(combined.length()).isEqualTo(low.length() + high.length() - headerLength(high));
        assertThatThrownBy(() -> KeyedSnapshot.combine(List.of(low, low), first)).hasMessageContaining("key group 3");
        assertThatThrownBy(() -> KeyedSnapshot.combine(List.of(low, other), first)).hasMessageContaining("other");
    }

    /** The bytes before the first key-group section of a full keyed snapshot of kind "test" with an 8-byte header. */
    private static long headerLength(StateBytes snapshot) {
        return 4 + 4 + 1 + (4 + 4) + (4 + 6) + 4 + 8 + 4;
    }
}
