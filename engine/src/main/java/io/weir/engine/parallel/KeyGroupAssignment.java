package io.weir.engine.parallel;

import io.weir.engine.state.KeyGroupRange;
import io.weir.engine.state.KeyGroups;

/**
 * Which task of a query owns which key groups: contiguous ranges, as Flink's
 * {@code KeyGroupRangeAssignment} does, so that a task's keyed state is one {@link KeyGroupRange} and a
 * checkpoint can be divided again at another parallelism.
 */
public final class KeyGroupAssignment {
    private KeyGroupAssignment() {
    }

    /** The task of {@code parallelism} tasks that owns {@code keyGroup}. */
    public static int taskOf(int keyGroup, int parallelism) {
        return keyGroup * parallelism / KeyGroups.COUNT;
    }

    /** The key groups task {@code task} of {@code parallelism} owns; the inverse of {@link #taskOf}. */
    public static KeyGroupRange rangeOf(int task, int parallelism) {
        checkParallelism(parallelism);
        if (task < 0 || task >= parallelism) {
            throw new IllegalArgumentException("task " + task + " of " + parallelism);
        }
        int first = (task * KeyGroups.COUNT + parallelism - 1) / parallelism;
        int last = ((task + 1) * KeyGroups.COUNT - 1) / parallelism;
        return new KeyGroupRange(first, last);
    }

    /** Parallelism is at least 1 and at most the number of key groups (a task owns at least one). */
    public static void checkParallelism(int parallelism) {
        if (parallelism < 1 || parallelism > KeyGroups.COUNT) {
            throw new IllegalArgumentException("parallelism must be between 1 and " + KeyGroups.COUNT + ": " + parallelism);
        }
    }
}
