package io.weir.engine.join;

import io.weir.engine.operator.Operator;
import io.weir.spi.batch.Batch;

/** An operator with two inputs (the sides of a join): the driver says which input a batch comes from. */
public interface TwoInputOperator extends Operator {
    /** A batch of input {@code input}: 0 is the left side, 1 the right. */
    void addInput(int input, Batch batch);

    @Override
    default void addInput(Batch batch) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has two inputs; say which one a batch comes from");
    }
}
