package io.weir.engine.over;

import io.weir.engine.operator.RowPositions;
import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the rows an operator holds were read, for a function's failure on one of them long after its batch: each
 * row keeps an origin (a number here: a stream's split, by name) and its offset in it. A split is named when its
 * first row comes, as its source names it; a checkpoint holds the names, so a restored row keeps its origin.
 */
final class RowOrigins {
    /** A row whose input did not say where it was read (e.g. rows a join made). */
    static final int UNKNOWN = -1;
    /** A row restored from a checkpoint written before checkpoints kept where rows were read. */
    static final int NOT_KEPT = -2;

    /** Says a row's position is not known, in place of where it was read. */
    private static final String NOT_KEPT_TEXT = "Where the row was read is not known: it was restored from a checkpoint"
            + " written by an earlier version of Weir, which did not keep it";

    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> byName = new HashMap<>();
    private final Map<Split, Integer> bySplit = new HashMap<>();
    // the last split looked up: a batch's rows mostly come from one
    private RowPositions lastPositions;
    private int lastSplit;
    private int lastOrigin;

    /** A split as one source (by identity: each has one RowPositions) numbers it. */
    private record Split(RowPositions positions, int splitId) {
    }

    /** The origin of rows of split {@code splitId} read where {@code positions} says ({@link #UNKNOWN} when null). */
    int of(RowPositions positions, int splitId) {
        if (positions == null) {
            return UNKNOWN;
        }
        if (positions == lastPositions && splitId == lastSplit) {
            return lastOrigin;
        }
        Split split = new Split(positions, splitId);
        Integer origin = bySplit.get(split);
        if (origin == null) {
            origin = named(positions.split(splitId));
            bySplit.put(split, origin);
        }
        lastPositions = positions;
        lastSplit = splitId;
        lastOrigin = origin;
        return origin;
    }

    /** The origin named {@code name} (as {@link RowPositions#split} names a split), e.g. from a checkpoint. */
    int named(String name) {
        Integer origin = byName.get(name);
        if (origin == null) {
            origin = names.size();
            names.add(name);
            byName.put(name, origin);
        }
        return origin;
    }

    /** The name of origin {@code origin} (at least 0). */
    String name(int origin) {
        return names.get(origin);
    }

    /** How many origins there are: they are numbered from 0. */
    int count() {
        return names.size();
    }

    /**
     * {@code failure}, when a user-defined function failed on a held row (of {@code origin}, at {@code offset}) and
     * does not say where the row was read yet, with where; else {@code failure} itself.
     *
     * @param added whether the function failed adding the row (else computing the aggregates sent with it)
     */
    WeirException locate(WeirException failure, int origin, long offset, boolean added) {
        String raw = failure.rawMessage();
        if (origin == UNKNOWN || failure.errorCode() != ErrorCode.FUNCTION_FAILED || raw.contains(RowPositions.READ_FROM)
                || raw.contains(NOT_KEPT_TEXT)) {
            return failure;
        }
        String where = origin == NOT_KEPT ? NOT_KEPT_TEXT
                : (added ? "The row was " : "The row it computed the aggregates of was ") + RowPositions.READ_FROM
                        + RowPositions.at(name(origin), offset);
        return new WeirException(ErrorCode.FUNCTION_FAILED, (raw.endsWith(".") ? raw : raw + ".") + " " + where + ".",
                failure.getCause() == null ? failure : failure.getCause());
    }
}
