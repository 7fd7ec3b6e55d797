package io.weir.engine.parallel;

import io.weir.engine.operator.RowPositions;
import io.weir.engine.operator.Watermark;
import io.weir.engine.state.RowKeyHasher;
import io.weir.spi.batch.Batch;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows one operator's tasks send to the tasks of an operator above it in one micro-batch: by the
 * key group of each row's key, or, for a forward exchange, each to the consumer of the producer's own
 * task (the rows of an operator feeding several parents wait there for the stages of those parents).
 * Producer task p writes only its own outboxes, and consumer task c reads the boxes addressed to it
 * after every producer finished the batch (the stage barrier), so no box is ever used by two threads
 * at once. Also carries the producers' end-of-batch watermarks, merged for the consumers.
 */
final class Exchange {
    private final int parallelism;
    private final List<Batch>[][] boxes;
    /** Per producer, where the rows it sends were read (its source, or a Calc over it); null when not known. */
    private final RowPositions[] positions;
    private final BatchPartitioner[] partitioners;
    private final Watermark[] watermarks;
    private final boolean[] finished;
    private Watermark merged = Watermark.INITIAL;
    private boolean allFinished;

    /** @param hasher hashes each row's key as the consumer's state does; null for a forward exchange */
    @SuppressWarnings("unchecked")
    Exchange(RowKeyHasher hasher, int parallelism) {
        this.parallelism = parallelism;
        this.boxes = new List[parallelism][parallelism];
        this.positions = new RowPositions[parallelism];
        this.partitioners = new BatchPartitioner[parallelism];
        this.watermarks = new Watermark[parallelism];
        this.finished = new boolean[parallelism];
        for (int producer = 0; producer < parallelism; producer++) {
            partitioners[producer] = hasher == null ? null : new BatchPartitioner(hasher, parallelism);
            watermarks[producer] = Watermark.INITIAL;
            for (int consumer = 0; consumer < parallelism; consumer++) {
                boxes[producer][consumer] = new ArrayList<>();
            }
        }
    }

    /** A forward exchange: each producer's rows go to the consumer of its own task. */
    static Exchange forward(int parallelism) {
        return new Exchange(null, parallelism);
    }

    /**
     * Producer {@code producer} sends {@code batch}'s rows, each to the task owning its key group (or its own task);
     * {@code from} says where they were read, for a consumer's message about a row (null when not known).
     */
    void send(int producer, Batch batch, RowPositions from) {
        positions[producer] = from;
        if (partitioners[producer] == null) {
            boxes[producer][producer].add(batch);
            return;
        }
        Batch[] parts = partitioners[producer].partition(batch);
        for (int consumer = 0; consumer < parallelism; consumer++) {
            if (parts[consumer] != null) {
                boxes[producer][consumer].add(parts[consumer]);
            }
        }
    }

    /** Producer {@code producer} finished its batch with this watermark; {@code done}: it sends nothing more, ever. */
    void endBatch(int producer, Watermark watermark, boolean done) {
        watermarks[producer] = watermark;
        finished[producer] = done;
    }

    /** A batch taken by a consumer, with where its producer's rows were read (null when not known). */
    record Received(Batch batch, RowPositions positions) {
    }

    /** The batches for consumer {@code consumer}, in producer order, taken out of their boxes. */
    List<Received> take(int consumer) {
        List<Received> taken = new ArrayList<>();
        for (int producer = 0; producer < parallelism; producer++) {
            List<Batch> box = boxes[producer][consumer];
            for (Batch batch : box) {
                taken.add(new Received(batch, positions[producer]));
            }
            box.clear();
        }
        return taken;
    }

    /**
     * After every producer ended the batch (by the thread that waited for them): merges their
     * watermarks into the one the consumers see; see {@link #merge}. Like a source's, it never goes back.
     */
    void closeBatch() {
        Watermark combined = merge(watermarks, finished);
        merged = combined.isFinished() ? combined : new Watermark(Math.max(merged.millis(), combined.millis()), combined.idle());
        boolean all = true;
        for (boolean done : finished) {
            all &= done;
        }
        allFinished = all;
    }

    /** The producers' watermark as of the last {@link #closeBatch}. */
    Watermark watermark() {
        return merged;
    }

    /** Whether every producer finished (as of the last {@link #closeBatch}): no row will come through any more. */
    boolean finished() {
        return allFinished;
    }

    /**
     * {@link Watermark#combine} of the producers that may still send rows; a producer that finished is
     * left out (all its rows are sent), and when all finished the result is {@link Watermark#FINISHED}.
     */
    static Watermark merge(Watermark[] watermarks, boolean[] finished) {
        List<Watermark> open = new ArrayList<>(watermarks.length);
        for (int i = 0; i < watermarks.length; i++) {
            if (!finished[i]) {
                open.add(watermarks[i]);
            }
        }
        return open.isEmpty() ? Watermark.FINISHED : Watermark.combine(open.toArray(Watermark[]::new));
    }
}
