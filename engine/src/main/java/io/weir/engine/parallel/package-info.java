/**
 * Running one query as N tasks ({@link io.weir.engine.parallel.ParallelQueryRunner}), in the style of
 * Spark's micro-batch stages with Flink's key groups.
 *
 * <p>The plan is cut into stages at exchanges; an exchange sits below every keyed stateful operator
 * (window and group aggregates, interval and window joins), and hashes each row's grouping or join key
 * exactly as the operator's state does ({@link io.weir.engine.state.GroupTable#hasher},
 * {@link io.weir.engine.join.RowStore#hasher}), so that a row goes to the task owning its key group
 * ({@link io.weir.engine.parallel.KeyGroupAssignment}: contiguous ranges, as Flink's
 * {@code KeyGroupRangeAssignment}). Batches are split column by column
 * ({@link io.weir.engine.parallel.BatchPartitioner}). Stateless operators stay in the stage of their input.
 *
 * <p>Per micro-batch the stages run children first with a barrier between them, the N tasks of a
 * stage in parallel on the engine's {@link io.weir.engine.parallel.WorkerPool} and the query's thread.
 * An exchange carries its producers' watermarks, merged for the consumers as a source merges its
 * splits' (finished producers left out; never going back), so an operator sees the windows fired
 * below it before the watermark that fired them, as on one thread.
 *
 * <p>The tasks run the plan's DAG: an operator feeding several parents (a shared sub-plan) hands its
 * rows to each through an exchange, by key to a keyed parent, forward (within the task) to another.
 *
 * <p>Checkpoints (persistent queries, views) are taken at micro-batch boundaries, when no row is in an
 * exchange, and laid out as at parallelism 1 (see {@link io.weir.engine.parallel.ParallelQueryRunner}):
 * an operator's instances' snapshots combined into one holding every key group
 * ({@link io.weir.engine.state.SnapshottableState#combine}), a stream's positions of all its splits.
 * So a checkpoint restores at any parallelism, each task taking its key-group range and its splits,
 * as Flink restores keyed state by key-group ranges.
 *
 * <p>Not yet: skipping an exchange whose input is already partitioned by the same key; spreading one
 * hot key (its key group is one task's).
 */
package io.weir.engine.parallel;
