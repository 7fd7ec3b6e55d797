package io.weir.engine.exec;

import io.weir.spi.WeirException;

import java.util.List;
import java.util.Optional;

/**
 * Rows taken from a continuous query's output.
 *
 * @param finished no rows will follow
 * @param failure why the query failed, when it did (then {@code finished})
 */
public record OutputChunk(List<Object[]> rows, boolean finished, Optional<WeirException> failure) {
    public OutputChunk {
        rows = List.copyOf(rows);
        if (failure.isPresent() && !finished) {
            throw new IllegalArgumentException("a failed query's chunk is its last");
        }
    }
}
