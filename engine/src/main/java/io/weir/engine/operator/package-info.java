/**
 * The operator interface of the micro-batch pipeline and the stateless operators: source, calc,
 * union all. Watermarks are computed per source split at the end of each batch and combined with
 * {@link io.weir.engine.operator.Watermark#combine}: minimum over active inputs, idle and finished
 * inputs released.
 */
package io.weir.engine.operator;
