package io.weir.engine.checkpoint;

import io.weir.engine.state.StateBytes;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A query's state at the end of one micro-batch.
 *
 * @param id grows by one per checkpoint of the query, from 1
 * @param batch how many micro-batches the query had run (across restarts)
 * @param createdAtMillis when it was taken, in the query's clock
 * @param planFingerprint identifies the operator tree the state belongs to; a checkpoint of another
 *        plan (the query's SQL or Weir's planning changed) cannot be restored into this one
 * @param sections the state by part of the query ({@link CheckpointSections}), in write order; keyed
 *        operator sections may be deltas ({@link io.weir.engine.state.KeyedSnapshot#isDelta})
 * @param parentId the checkpoint whose state the deltas apply to, 0 when there are none
 */
public record Checkpoint(long id, long batch, long createdAtMillis, String planFingerprint, Map<String, StateBytes> sections,
                         long parentId) {
    public Checkpoint {
        if (id < 1) {
            throw new IllegalArgumentException("checkpoint ids start at 1: " + id);
        }
        if (parentId < 0 || parentId >= id) {
            throw new IllegalArgumentException("checkpoint " + id + " cannot apply to checkpoint " + parentId);
        }
        requireNonNull(planFingerprint, "planFingerprint is null");
        sections = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(sections, "sections is null")));
    }

    /** A checkpoint that holds all of its state. */
    public Checkpoint(long id, long batch, long createdAtMillis, String planFingerprint, Map<String, StateBytes> sections) {
        this(id, batch, createdAtMillis, planFingerprint, sections, 0);
    }

    /** Whether it holds deltas that apply to checkpoint {@link #parentId}. */
    public boolean incremental() {
        return parentId != 0;
    }

    /** A section's bytes in one array (a checkpoint read from its file holds each in one already). */
    public Optional<byte[]> section(String name) {
        return Optional.ofNullable(sections.get(name)).map(StateBytes::toByteArray);
    }

    /** The bytes of all sections. */
    public long stateBytes() {
        long bytes = 0;
        for (StateBytes section : sections.values()) {
            bytes += section.length();
        }
        return bytes;
    }
}
