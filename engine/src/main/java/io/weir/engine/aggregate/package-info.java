/**
 * Aggregate functions as struct-of-arrays accumulators indexed by group slot; results follow the
 * result type Calcite derived (integer types truncate as Calcite's reductions do).
 */
package io.weir.engine.aggregate;
