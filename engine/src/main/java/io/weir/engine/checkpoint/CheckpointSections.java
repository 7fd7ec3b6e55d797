package io.weir.engine.checkpoint;

/** The names of a checkpoint's sections: one per stateful operator, source and sink, by position in the plan. */
public final class CheckpointSections {
    /** Counters of the query as a whole (rows in, rows out, batches). */
    public static final String QUERY = "query";
    /** What the sink returned from {@link io.weir.spi.connector.SinkWriter#prepareCommit}. */
    public static final String SINK = "sink";

    private CheckpointSections() {
    }

    /** The state of the operator at {@code index} in the plan's build order. */
    public static String operator(int index) {
        return "operator/" + index;
    }

    /** The position and event-time progress of the source at {@code index} among the plan's sources. */
    public static String source(int index) {
        return "source/" + index;
    }
}
