package io.weir.engine.aggregate;

import io.weir.engine.operator.Operator;
import io.weir.engine.operator.Watermark;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.state.GroupTable;
import io.weir.engine.state.IntSorter;
import io.weir.spi.batch.Batch;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.type.DataType;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;

import static java.util.Objects.requireNonNull;

/**
 * Updating GROUP BY over a stream (see {@link GroupAggregate}): one accumulator set per key, found
 * through a {@link GroupTable} whose entry numbers are the accumulator slots; at the end of every
 * micro-batch, the keys whose values changed are emitted in key order.
 */
public final class GroupAggregateOperator implements Operator {
    private final List<DataType.Field> outputType;
    private final int keyCount;
    private final GroupTable groups;
    private final Accumulator[] accumulators;
    private final Queue<Batch> output = new ArrayDeque<>();
    private int capacity;
    private int[] rowSlots = new int[0];
    private boolean[] changed = new boolean[0];
    private int changedCount;
    private Watermark watermark = Watermark.INITIAL;
    private boolean finishing;

    public GroupAggregateOperator(GroupAggregate plan) {
        requireNonNull(plan, "plan is null");
        List<DataType.Field> inputType = plan.input().outputType();
        this.outputType = plan.outputType();
        this.keyCount = plan.groupKeys().size();
        this.groups = GroupTable.create(inputType, plan.groupKeys(), 64);
        this.accumulators = new Accumulator[plan.aggregates().size()];
        for (int i = 0; i < accumulators.length; i++) {
            AggregateCall call = plan.aggregates().get(i);
            accumulators[i] = Accumulators.create(call, inputType);
        }
    }

    @Override
    public boolean needsInput() {
        return !finishing;
    }

    @Override
    public void addInput(Batch batch) {
        int rows = batch.rowCount();
        if (rows == 0) {
            return;
        }
        if (rowSlots.length < rows) {
            rowSlots = new int[rows];
        }
        groups.bind(batch);
        for (int row = 0; row < rows; row++) {
            int entry = groups.findOrInsert(row);
            if (groups.lastInserted()) {
                ensureCapacity(entry + 1);
                for (Accumulator accumulator : accumulators) {
                    accumulator.reset(entry);
                }
            }
            rowSlots[row] = entry;
            if (!changed[entry]) {
                changed[entry] = true;
                changedCount++;
            }
        }
        for (Accumulator accumulator : accumulators) {
            accumulator.bind(batch);
            accumulator.addAll(rowSlots, rows);
        }
    }

    private void ensureCapacity(int entries) {
        if (entries > capacity) {
            capacity = Math.max(entries, Math.max(64, capacity * 2));
            for (Accumulator accumulator : accumulators) {
                accumulator.ensureCapacity(capacity);
            }
            changed = Arrays.copyOf(changed, capacity);
        }
    }

    @Override
    public Batch getOutput() {
        return output.poll();
    }

    @Override
    public void processWatermark(int input, Watermark watermark) {
        this.watermark = watermark;
        emitChanged();
    }

    private void emitChanged() {
        if (changedCount == 0) {
            return;
        }
        BatchBuilder out = new BatchBuilder(outputType, Math.max(16, changedCount));
        for (int entry : IntSorter.sortedIndexes(groups.size(), groups::compareKeys)) {
            if (!changed[entry]) {
                continue;
            }
            changed[entry] = false;
            groups.writeKey(entry, out, 0);
            for (int i = 0; i < accumulators.length; i++) {
                accumulators[i].write(entry, out, keyCount + i);
            }
            out.commitRow();
        }
        changedCount = 0;
        output.add(out.build());
    }

    @Override
    public Watermark outputWatermark() {
        return watermark;
    }

    @Override
    public void finish() {
        if (!finishing) {
            finishing = true;
            emitChanged();
        }
    }

    @Override
    public boolean isFinished() {
        return finishing && output.isEmpty();
    }

    /** Keys with state. */
    public int groups() {
        return groups.size();
    }

    @Override
    public void close() {
        output.clear();
    }
}
