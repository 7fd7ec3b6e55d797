/**
 * Materialized views: the store a view's query keeps its rows in, published once per micro-batch so
 * that readers see whole batches, and the change stream of a view.
 */
package io.weir.engine.view;
