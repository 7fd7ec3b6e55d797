/**
 * When results come: the end-to-end latency of a continuous query, from a record's arrival at the server to
 * the first result row it contributes to. Batches read from sources carry when their rows arrived
 * ({@link io.weir.spi.batch.Batch#arrivalNanos()}); operators that hold rows until a window fires keep
 * those arrivals in an {@link io.weir.engine.latency.ArrivalLedger} and release them into the micro-batch's
 * {@link io.weir.engine.latency.ResultArrivals} when the rows' results are emitted; the query measures them
 * when the results are handed to its client or sink.
 */
package io.weir.engine.latency;
