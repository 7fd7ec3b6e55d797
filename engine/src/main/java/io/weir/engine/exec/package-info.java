/**
 * Running continuous queries: {@link io.weir.engine.exec.MicroBatchQueryEngine} starts each query on
 * its own thread; {@link io.weir.engine.exec.QueryRunner} runs one micro-batch (poll sources, push
 * batches through the operators, advance watermarks once, fire windows).
 *
 * <p>Batches start every batch interval, measured with {@link System#nanoTime()}; the query's clock
 * ({@link io.weir.engine.exec.QueryOptions#clock()}) gives each batch its processing time and drives
 * idle timeouts. While a source has more input than one batch takes (or a bounded source is not yet
 * read to its end) the next batch starts at once, so bounded queries run as fast as they read, with
 * the same per-batch watermark semantics.
 */
package io.weir.engine.exec;
