/**
 * Join operators of continuous queries: stream–table lookup joins, window joins and interval joins,
 * holding rows in columnar {@link io.weir.engine.join.RowStore}s indexed by key hash.
 */
package io.weir.engine.join;
