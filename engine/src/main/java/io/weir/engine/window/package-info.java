/**
 * Windowed aggregation: TUMBLE, HOP and CUMULATE ({@link io.weir.engine.window.WindowAggregateOperator})
 * and SESSION ({@link io.weir.engine.window.SessionWindowAggregateOperator}).
 *
 * <p>Semantics, as in Flink SQL: a window {@code [start, end)} fires once, in the micro-batch at whose
 * end the watermark is at least {@code end - 1} (event time), or whose processing time is at least
 * {@code end} (processing time). A row is added to each of its windows that has not fired; a row all
 * of whose windows have fired is late, dropped and counted. Sessions: each row opens
 * {@code [ts, ts + gap)}; windows that overlap or touch merge; a row whose own window has fired and
 * that joins no open session is late. Fired windows' state is freed. Rows whose time is NULL belong to
 * no window. Output rows: keys, window_start, window_end, aggregates, ordered within a batch by
 * window end, window start, keys (NULLs first).
 */
package io.weir.engine.window;
