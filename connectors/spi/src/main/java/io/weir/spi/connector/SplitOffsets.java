package io.weir.spi.connector;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.BiConsumer;

import static java.util.Objects.requireNonNull;

/**
 * Per split (by {@linkplain Split#name() name}), the offset of the next record: how far a reader has
 * read, or where a consumer resumes. Offsets grow as a split is read (Kafka: record offsets).
 * Iteration follows the order the splits were given in.
 *
 * @param offsets split name to offset; copied
 */
public record SplitOffsets(Map<String, Long> offsets) {
    public SplitOffsets {
        requireNonNull(offsets, "offsets is null");
        offsets.forEach((split, offset) -> {
            requireNonNull(split, "split name is null");
            requireNonNull(offset, "offset is null");
        });
        offsets = Collections.unmodifiableMap(new LinkedHashMap<>(offsets));
    }

    public static SplitOffsets of(Map<String, Long> offsets) {
        return new SplitOffsets(offsets);
    }

    /** The offset of {@code split}, if it is listed. */
    public OptionalLong get(String split) {
        Long offset = offsets.get(split);
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    public boolean contains(String split) {
        return offsets.containsKey(split);
    }

    public boolean isEmpty() {
        return offsets.isEmpty();
    }

    public void forEach(BiConsumer<String, Long> action) {
        offsets.forEach(action);
    }

    @Override
    public String toString() {
        return offsets.toString();
    }
}
