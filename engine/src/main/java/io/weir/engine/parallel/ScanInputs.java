package io.weir.engine.parallel;

import io.weir.engine.source.SourceInput;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The inputs of one scan of a parallel query, one per task: a share of the stream's splits each, or,
 * for a stream that cannot be divided, one input for task 0 and none for the others.
 */
final class ScanInputs {
    private final SourceInput[] perTask;
    private final boolean bounded;

    ScanInputs(List<SourceInput> perTask, boolean bounded) {
        this.perTask = perTask.toArray(SourceInput[]::new);
        this.bounded = bounded;
    }

    /** Task {@code task}'s input, once (the task's source operator then owns it); empty when it does not read the stream. */
    Optional<SourceInput> take(int task) {
        SourceInput input = perTask[task];
        perTask[task] = null;
        return Optional.ofNullable(input);
    }

    boolean bounded() {
        return bounded;
    }

    /** Closes the inputs no task took (when building the tasks failed). */
    void closeUntaken() {
        for (int task = 0; task < perTask.length; task++) {
            if (perTask[task] != null) {
                perTask[task].close();
                perTask[task] = null;
            }
        }
    }

    static ScanInputs single(SourceInput input, int parallelism, boolean bounded) {
        requireNonNull(input, "input is null");
        SourceInput[] inputs = new SourceInput[parallelism];
        inputs[0] = input;
        return new ScanInputs(java.util.Arrays.asList(inputs), bounded);
    }
}
