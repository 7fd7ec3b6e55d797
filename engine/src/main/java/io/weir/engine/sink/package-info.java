/**
 * Writing persistent queries' results to sink streams ({@code INSERT INTO}): the sink operator at
 * the root of the plan, flushed at the end of every micro-batch before the sources commit, which
 * makes delivery at-least-once.
 */
package io.weir.engine.sink;
