package io.weir.engine.plan;

import io.weir.spi.type.DataType;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * {@code ROW_NUMBER() OVER (PARTITION BY keys ORDER BY columns) ... WHERE rn <= limit} over an append-only
 * input, in one of the forms a stream allows (see {@link Kind}).
 *
 * <p>Output columns: the input's, then the row number ({@code BIGINT NOT NULL}, from 1).
 *
 * @param partitionKeys the input columns of PARTITION BY (none: one partition)
 * @param orderKeys the ORDER BY columns, most significant first
 * @param limit the largest row number kept (N of {@code rn <= N})
 * @param eventTime for {@link Kind#KEEP_FIRST}: whether the order column is the event time (a row is sent once the
 *        watermark passes it, so that an earlier row arriving late still wins) rather than the arrival time
 */
public record Rank(PlanNode input, Kind kind, List<Integer> partitionKeys, List<SortKey> orderKeys, long limit,
                   boolean eventTime, List<DataType.Field> outputType) implements PlanNode {
    /** The row number column's name in plans. */
    public static final String ROW_NUMBER_COLUMN = "$rn";

    public enum Kind {
        /**
         * Window Top-N: the input is a window aggregation's final rows and every partition holds a window's
         * bounds, so a partition's rows all come in the micro-batch its window fires in. Its top rows are
         * sent once, at the end of that micro-batch; nothing is kept after it.
         */
        WINDOW,
        /**
         * Deduplication keeping the first row of each partition by time: one row sent per partition, ever
         * (until {@code 'state.ttl'} forgets the partition). Append-only output.
         */
        KEEP_FIRST,
        /**
         * Deduplication keeping the last row of each partition by time: at the end of every micro-batch
         * the partitions whose row changed send their row, superseding the one before (an updating result).
         */
        KEEP_LAST,
        /**
         * Top-N of a stream: at the end of every micro-batch the partitions whose top rows changed send all
         * of them with their row numbers, superseding the rows with those numbers sent before.
         */
        UPDATING
    }

    /** One ORDER BY column: its input column, direction and where NULLs go. */
    public record SortKey(int column, boolean descending, boolean nullsFirst) {
        @Override
        public String toString() {
            return column + (descending ? " DESC" : "") + (nullsFirst ? " NULLS FIRST" : "");
        }
    }

    public Rank {
        requireNonNull(input, "input is null");
        requireNonNull(kind, "kind is null");
        partitionKeys = List.copyOf(partitionKeys);
        orderKeys = List.copyOf(orderKeys);
        outputType = List.copyOf(outputType);
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (orderKeys.isEmpty()) {
            throw new IllegalArgumentException("a rank needs an order");
        }
        if (outputType.size() != input.outputType().size() + 1) {
            throw new IllegalArgumentException("output type must be the input's columns, then the row number");
        }
    }

    /** The input's columns, then the row number. */
    public static List<DataType.Field> outputType(List<DataType.Field> input) {
        List<DataType.Field> fields = new ArrayList<>(input);
        fields.add(new DataType.Field(ROW_NUMBER_COLUMN, DataType.of(io.weir.spi.type.TypeKind.BIGINT).withNullable(false)));
        return fields;
    }

    @Override
    public List<PlanNode> inputs() {
        return List.of(input);
    }

    @Override
    public String explain() {
        List<DataType.Field> in = input.outputType();
        List<String> keys = partitionKeys.stream().map(k -> in.get(k).name()).toList();
        List<String> order = orderKeys.stream().map(k -> in.get(k.column()).name() + (k.descending() ? " DESC" : "")
                + (k.nullsFirst() ? " NULLS FIRST" : "")).toList();
        String what = switch (kind) {
            case WINDOW -> "WindowTopN(limit=" + limit;
            case KEEP_FIRST -> "Deduplicate(keep=first";
            case KEEP_LAST -> "Deduplicate(keep=last";
            case UPDATING -> "TopN(limit=" + limit;
        };
        String emit = switch (kind) {
            case WINDOW -> "emit=a window's top rows when it fires, state=the firing windows' top rows, within the micro-batch";
            case KEEP_FIRST -> "emit=a partition's first row " + (eventTime ? "once the watermark passes it" : "as it arrives")
                    + ", state=per partition: a seen mark" + (eventTime ? " and the earliest row not yet sent" : "");
            case KEEP_LAST -> "emit=changed partitions' last row every batch, state=per partition: the last row";
            case UPDATING -> "emit=changed partitions' top rows every batch, state=per partition: the top " + limit + " rows";
        };
        return what + ", partition=" + keys + ", order=" + order + ", " + emit + ")";
    }
}
