/**
 * Checkpoints of persistent queries and materialized views: at a micro-batch boundary, the state of
 * every operator, the position of every source and what the sink prepared, written atomically to
 * the data directory, so that a query restarted after a crash continues as if it had never stopped.
 */
package io.weir.engine.checkpoint;
