package io.weir.engine.state;

import io.weir.engine.aggregate.Accumulators;
import io.weir.engine.plan.AggregateCall;
import io.weir.engine.plan.GroupAggregate;
import io.weir.engine.plan.IntervalJoin;
import io.weir.engine.plan.OverAggregate;
import io.weir.engine.plan.PlanNode;
import io.weir.engine.plan.Rank;
import io.weir.engine.plan.SourceScan;
import io.weir.engine.plan.WindowAggregate;
import io.weir.engine.plan.WindowJoin;
import io.weir.engine.plan.WindowSpec;
import io.weir.spi.type.DataType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What EXPLAIN says an operator's state will take, before the query runs: how many windows are open at a time
 * (from the window, the slide and the sources' watermark delay) and about how many bytes each key holds in each
 * (its key columns, its accumulators as the engine sizes them, the hash table's slot). The number of keys is
 * the data's, which the plan does not know: the estimate is per key (per row for joins). Fixed-width values
 * count 8 bytes, decimals 16, text and binary values 48 (a string of about 16 characters).
 */
public final class StateEstimates {
    private static final int SLOT_BYTES = 16;
    private static final int VARIABLE_WIDTH_BYTES = 48;

    private StateEstimates() {
    }

    /** The estimate for {@code node}, e.g. {@code 6 open windows x 72 B per key}; empty for operators without keyed state. */
    public static Optional<String> describe(PlanNode node) {
        if (node instanceof WindowAggregate window) {
            long perKey = SLOT_BYTES + columnsBytes(window.input().outputType(), window.groupKeys())
                    + accumulatorBytes(window.aggregates(), window.input().outputType());
            return Optional.of(switch (window.window().kind()) {
                case SESSION -> "one open session x " + perKey + " B per key";
                case WINDOWED -> perKey + " B per key and window not yet fired";
                default -> {
                    long open = openWindows(window.window(), watermarkDelay(window).plusMillis(window.allowedLatenessMillis()));
                    yield open + (open == 1 ? " open window" : " open windows") + " x " + perKey + " B per key";
                }
            });
        }
        if (node instanceof GroupAggregate group) {
            long perKey = SLOT_BYTES + columnsBytes(group.input().outputType(), group.groupKeys())
                    + accumulatorBytes(group.aggregates(), group.input().outputType());
            return Optional.of(perKey + " B per key");
        }
        if (node instanceof Rank rank) {
            long row = rowBytes(rank.input().outputType());
            long rows = rank.kind() == Rank.Kind.UPDATING ? rank.limit() : 1;
            return Optional.of(rank.kind() == Rank.Kind.WINDOW ? "none kept between micro-batches"
                    : (SLOT_BYTES + columnsBytes(rank.input().outputType(), rank.partitionKeys()) + rows * row)
                            + " B per partition");
        }
        if (node instanceof OverAggregate over) {
            long row = rowBytes(over.input().outputType());
            long perKey = SLOT_BYTES + columnsBytes(over.input().outputType(), over.partitionKeys());
            String waiting = row + " B per row the watermark has not passed";
            if (over.unbounded()) {
                return Optional.of((perKey + accumulatorBytes(over.aggregates(), over.input().outputType())) + " B per partition, "
                        + waiting);
            }
            return Optional.of(over.rows() ? (perKey + (over.preceding() + 1) * row) + " B per partition, " + waiting
                    : perKey + " B per partition, " + row + " B per row of the last " + over.preceding() + " ms and per row the"
                            + " watermark has not passed");
        }
        if (node instanceof WindowJoin join) {
            return Optional.of(rowBytes(join.left().outputType()) + " B per left row and "
                    + rowBytes(join.right().outputType()) + " B per right row of the open windows");
        }
        if (node instanceof IntervalJoin join) {
            return Optional.of(rowBytes(join.left().outputType()) + " B per left row and "
                    + rowBytes(join.right().outputType()) + " B per right row within the time bounds");
        }
        return Optional.empty();
    }

    /**
     * Windows (slices, for HOP and CUMULATE, whose windows share them) holding state at a time: those the
     * watermark has not passed, which lags event time by the watermark delay, and those fired windows kept for
     * their allowed lateness (given added to the delay).
     */
    static long openWindows(WindowSpec window, Duration watermarkDelay) {
        long unit = window.slideMillis();
        long delay = window.eventTime() ? watermarkDelay.toMillis() : 0;
        long span = window.sizeMillis() + delay;
        return Math.max(1, (span + unit - 1) / unit);
    }

    /** The largest watermark delay of the sources under {@code node}: how long windows wait to fire. */
    private static Duration watermarkDelay(PlanNode node) {
        Duration delay = Duration.ZERO;
        if (node instanceof SourceScan scan) {
            delay = scan.spec().watermarkDelay();
        }
        for (PlanNode input : node.inputs()) {
            Duration inner = watermarkDelay(input);
            if (inner.compareTo(delay) > 0) {
                delay = inner;
            }
        }
        return delay;
    }

    private static long accumulatorBytes(List<AggregateCall> aggregates, List<DataType.Field> inputType) {
        long bytes = 0;
        for (AggregateCall call : aggregates) {
            bytes += Accumulators.create(call, inputType).bytesPerGroup();
        }
        return bytes;
    }

    private static long columnsBytes(List<DataType.Field> fields, List<Integer> columns) {
        long bytes = 0;
        for (int column : columns) {
            bytes += valueBytes(fields.get(column).type());
        }
        return bytes;
    }

    private static long rowBytes(List<DataType.Field> fields) {
        long bytes = SLOT_BYTES;
        for (DataType.Field field : fields) {
            bytes += valueBytes(field.type());
        }
        return bytes;
    }

    private static long valueBytes(DataType type) {
        return switch (type.kind()) {
            case DECIMAL -> 16;
            case CHAR, VARCHAR, VARBINARY, ARRAY, MAP, ROW -> VARIABLE_WIDTH_BYTES;
            default -> 8;
        };
    }
}
