package io.weir.engine.latency;

/** Percentiles of a latency, in milliseconds; -1 each when unknown (nothing measured lately). */
public record LatencyPercentiles(double p50Millis, double p99Millis, double p999Millis, double maxMillis) {
    public static final LatencyPercentiles NONE = new LatencyPercentiles(-1, -1, -1, -1);

    /** Whether anything was measured. */
    public boolean known() {
        return p50Millis >= 0;
    }
}
