package io.weir.engine.plan;

import static java.util.Objects.requireNonNull;

/**
 * Which windows a row belongs to and when they fire. Sizes in milliseconds; windows are aligned to
 * the epoch (plus {@code offsetMillis}), as in Flink and Calcite.
 *
 * @param timeColumn input column holding the row time (TIMESTAMP, epoch millis)
 * @param eventTime true: windows fire when the watermark passes their end; false (processing time):
 *        when the wall clock at the start of a batch passes it
 * @param sizeMillis TUMBLE/HOP/CUMULATE window size (max size for CUMULATE)
 * @param slideMillis HOP slide, CUMULATE step; equal to size for TUMBLE; unused for SESSION
 * @param gapMillis SESSION gap; unused otherwise
 * @param startColumn for WINDOWED: the input column holding the window start ({@code timeColumn} holds
 *        its end); -1 otherwise
 */
public record WindowSpec(WindowKind kind, int timeColumn, boolean eventTime, long sizeMillis, long slideMillis,
                         long gapMillis, long offsetMillis, int startColumn) {
    public WindowSpec(WindowKind kind, int timeColumn, boolean eventTime, long sizeMillis, long slideMillis,
                      long gapMillis, long offsetMillis) {
        this(kind, timeColumn, eventTime, sizeMillis, slideMillis, gapMillis, offsetMillis, -1);
    }

    public WindowSpec {
        requireNonNull(kind, "kind is null");
        if (timeColumn < 0) {
            throw new IllegalArgumentException("time column: " + timeColumn);
        }
        switch (kind) {
            case TUMBLE -> check(sizeMillis > 0 && slideMillis == sizeMillis, "TUMBLE needs size > 0");
            case HOP -> check(sizeMillis > 0 && slideMillis > 0, "HOP needs size and slide > 0");
            case CUMULATE -> check(sizeMillis > 0 && slideMillis > 0 && sizeMillis % slideMillis == 0,
                    "CUMULATE needs a max size that is a multiple of the step");
            case SESSION -> check(gapMillis > 0, "SESSION needs gap > 0");
            case WINDOWED -> check(startColumn >= 0, "WINDOWED needs the window start column");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static WindowSpec tumble(int timeColumn, boolean eventTime, long size) {
        return new WindowSpec(WindowKind.TUMBLE, timeColumn, eventTime, size, size, 0, 0);
    }

    public static WindowSpec hop(int timeColumn, boolean eventTime, long slide, long size) {
        return new WindowSpec(WindowKind.HOP, timeColumn, eventTime, size, slide, 0, 0);
    }

    public static WindowSpec cumulate(int timeColumn, boolean eventTime, long step, long maxSize) {
        return new WindowSpec(WindowKind.CUMULATE, timeColumn, eventTime, maxSize, step, 0, 0);
    }

    public static WindowSpec session(int timeColumn, boolean eventTime, long gap) {
        return new WindowSpec(WindowKind.SESSION, timeColumn, eventTime, 0, 0, gap, 0);
    }

    /** The windows of an upstream window aggregation: start and end columns of its rows. */
    public static WindowSpec windowed(int endColumn, int startColumn, boolean eventTime) {
        return new WindowSpec(WindowKind.WINDOWED, endColumn, eventTime, 0, 0, 0, 0, startColumn);
    }

    public String explain() {
        String time = eventTime ? "event time" : "processing time";
        return switch (kind) {
            case TUMBLE -> "TUMBLE(size=" + sizeMillis + " ms, " + time + ")";
            case HOP -> "HOP(slide=" + slideMillis + " ms, size=" + sizeMillis + " ms, " + time + ")";
            case CUMULATE -> "CUMULATE(step=" + slideMillis + " ms, max size=" + sizeMillis + " ms, " + time + ")";
            case SESSION -> "SESSION(gap=" + gapMillis + " ms, " + time + ")";
            case WINDOWED -> "WINDOWED(the input's windows, " + time + ")";
        };
    }
}
