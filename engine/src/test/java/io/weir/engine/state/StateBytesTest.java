package io.weir.engine.state;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

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
}
