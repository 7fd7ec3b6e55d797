package io.weir.engine.parallel;

import io.weir.engine.source.SourceInput;
import io.weir.engine.source.SplitInput;
import io.weir.spi.connector.Source;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * The inputs of one scan of a parallel query, one per task: a share of the stream's splits each, or,
 * for a stream that cannot be divided, one input for task 0 and none for the others. Also what the
 * query needs to know of the scan afterwards: its source, consumer id, and which task reads which split.
 */
final class ScanInputs {
    private final SourceInput[] perTask;
    private final Predicate<String>[] ownsSplit;
    private final Source source;
    private final Optional<String> consumerId;

    @SuppressWarnings("unchecked")
    ScanInputs(List<SourceInput> perTask, Source source, Optional<String> consumerId) {
        this.perTask = perTask.toArray(SourceInput[]::new);
        this.source = requireNonNull(source, "source is null");
        this.consumerId = requireNonNull(consumerId, "consumerId is null");
        this.ownsSplit = new Predicate[this.perTask.length];
        for (int task = 0; task < this.perTask.length; task++) {
            SourceInput input = this.perTask[task];
            ownsSplit[task] = input instanceof SplitInput split ? split::reads : input != null ? name -> true : name -> false;
        }
    }

    /** Task {@code task}'s input, once (the task's source operator then owns it); empty when it does not read the stream. */
    Optional<SourceInput> take(int task) {
        SourceInput input = perTask[task];
        perTask[task] = null;
        return Optional.ofNullable(input);
    }

    /** Whether task {@code task} reads the split of this name. */
    Predicate<String> ownsSplit(int task) {
        return ownsSplit[task];
    }

    boolean bounded() {
        return source.isBounded();
    }

    Source source() {
        return source;
    }

    /** The scan's consumer id in a persistent query. */
    Optional<String> consumerId() {
        return consumerId;
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

    static ScanInputs single(SourceInput input, int parallelism, Source source, Optional<String> consumerId) {
        requireNonNull(input, "input is null");
        SourceInput[] inputs = new SourceInput[parallelism];
        inputs[0] = input;
        return new ScanInputs(java.util.Arrays.asList(inputs), source, consumerId);
    }
}
