package io.weir.engine.operator;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.Batch;

/**
 * Where the rows of a source's batches were read (their split and offset), for messages about one row, such as a
 * user-defined function failing on it.
 */
public interface RowPositions {
    /** Where row {@code row} of {@code batch} was read, e.g. {@code stream 'clicks', /data/clicks.json at offset 120}. */
    default String of(Batch batch, int row) {
        return at(split(batch.splitId(row)), batch.offset(row));
    }

    /**
     * Where the rows of split {@code splitId} were read, without their offsets, e.g.
     * {@code stream 'clicks', /data/clicks.json}.
     */
    String split(int splitId);

    /** Where the rows of {@code batch} were read: per split, its first and last row's offsets. */
    String range(Batch batch);

    /**
     * {@code failure}, when a user-defined function failed on one of the rows of {@code batch} (read where
     * {@code positions} says; null when not known) and does not say where the row was read yet, with the batch's
     * positions; else {@code failure} itself.
     */
    static WeirException locate(WeirException failure, RowPositions positions, Batch batch) {
        if (positions == null || failure.errorCode() != ErrorCode.FUNCTION_FAILED || failure.rawMessage().contains(READ_FROM)) {
            return failure;
        }
        String message = failure.rawMessage().endsWith(".") ? failure.rawMessage() : failure.rawMessage() + ".";
        return new WeirException(ErrorCode.FUNCTION_FAILED, message + " The row is one of those " + READ_FROM
                + positions.range(batch) + ".", failure.getCause() == null ? failure : failure.getCause());
    }

    /**
     * The splits of {@code batch}'s rows, each named by {@code name} and followed by its rows' first and last offsets
     * (when known and {@code hasOffsets} says the split has them), e.g. {@code /data/a.json offsets 0 to 540; ...}.
     */
    static String ranges(Batch batch, java.util.function.IntFunction<String> name, java.util.function.IntPredicate hasOffsets) {
        java.util.Map<Integer, long[]> bySplit = new java.util.TreeMap<>();
        for (int row = 0; row < batch.rowCount(); row++) {
            long offset = batch.offset(row);
            long[] bounds = bySplit.computeIfAbsent(batch.splitId(row), id -> new long[] {offset, offset});
            bounds[0] = Math.min(bounds[0], offset);
            bounds[1] = Math.max(bounds[1], offset);
        }
        StringBuilder text = new StringBuilder();
        for (java.util.Map.Entry<Integer, long[]> split : bySplit.entrySet()) {
            text.append(text.length() == 0 ? "" : "; ").append(name.apply(split.getKey()));
            long[] bounds = split.getValue();
            if (bounds[0] >= 0 && hasOffsets.test(split.getKey())) {
                text.append(" offsets ").append(bounds[0]).append(" to ").append(bounds[1]);
            }
        }
        return text.toString();
    }

    /** Where a row of {@code split} (as {@link #split} names it) at {@code offset} (-1: not known) was read. */
    static String at(String split, long offset) {
        return offset < 0 ? split : split + " at offset " + offset;
    }

    /** How messages name where rows were read, before the positions. */
    String READ_FROM = "read from ";
}
