package io.weir.engine.operator;

/**
 * Event-time progress of a stream at the end of a micro-batch: no row with a smaller event time is
 * expected any more (rows that still come are late).
 *
 * @param millis epoch milliseconds; {@link Long#MIN_VALUE} before any event time was seen,
 *        {@link Long#MAX_VALUE} once the input is finished
 * @param idle the input has had no rows for its idle timeout, so it does not hold back the
 *        watermark of operators that combine it with other inputs
 */
public record Watermark(long millis, boolean idle) {
    public static final Watermark INITIAL = new Watermark(Long.MIN_VALUE, false);
    public static final Watermark FINISHED = new Watermark(Long.MAX_VALUE, false);

    public static Watermark active(long millis) {
        return new Watermark(millis, false);
    }

    public boolean isFinished() {
        return millis == Long.MAX_VALUE;
    }

    /**
     * The watermark of several inputs (splits of a source, inputs of a union): the minimum over the
     * active ones; when none is active, the maximum over the idle ones (so windows on quiet inputs
     * close up to what was seen); {@link #FINISHED} when all are finished.
     */
    public static Watermark combine(Watermark... inputs) {
        long activeMin = Long.MAX_VALUE;
        boolean anyActive = false;
        long idleMax = Long.MIN_VALUE;
        boolean anyIdle = false;
        boolean anyFinished = false;
        for (Watermark input : inputs) {
            if (input.isFinished()) {
                anyFinished = true;
                continue;
            }
            if (input.idle) {
                anyIdle = true;
                idleMax = Math.max(idleMax, input.millis);
            } else {
                anyActive = true;
                activeMin = Math.min(activeMin, input.millis);
            }
        }
        if (anyActive) {
            return active(activeMin);
        }
        // A finished input is at +infinity and idle inputs do not hold the watermark back (as in
        // Flink): a finished input next to idle ones moves the combination to +infinity.
        return anyIdle && !anyFinished ? new Watermark(idleMax, true) : FINISHED;
    }
}
