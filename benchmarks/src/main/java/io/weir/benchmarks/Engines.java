package io.weir.benchmarks;

import io.weir.engine.exec.MicroBatchQueryEngine;
import io.weir.engine.exec.QueryEngine;

/** The engine the benchmarks measure. */
final class Engines {
    private Engines() {
    }

    static QueryEngine microBatch() {
        return new MicroBatchQueryEngine();
    }
}
