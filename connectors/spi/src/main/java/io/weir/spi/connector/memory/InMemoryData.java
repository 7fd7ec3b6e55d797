package io.weir.spi.connector.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.util.Objects.requireNonNull;

/**
 * Named data sets for the {@code memory} connector ({@code 'connector' = 'memory', 'data' = '<name>'}),
 * registered programmatically by tests and demos. Rows hold one value per column in declared order,
 * as representation values or friendly Java equivalents (see
 * {@link io.weir.spi.type.ValueConversion#fromJava}). Thread-safe; process-wide.
 *
 * <p>A bounded data set backs tables and finite streams: a reader returns the rows present when it
 * was created, then finishes. An unbounded one backs streams: readers keep returning rows
 * {@link #append appended} later and never finish.
 */
public final class InMemoryData {
    private static final ConcurrentMap<String, DataSet> DATA_SETS = new ConcurrentHashMap<>();

    private InMemoryData() {
    }

    /** Registers (or replaces) a data set. Readers of a replaced data set keep reading the old one. */
    public static void register(String name, List<Object[]> rows, boolean bounded) {
        requireNonNull(name, "name is null");
        DataSet dataSet = new DataSet(bounded);
        dataSet.append(rows);
        DATA_SETS.put(name, dataSet);
    }

    /** Appends rows to a registered data set; readers of an unbounded one see them at their next poll. */
    public static void append(String name, List<Object[]> rows) {
        dataSet(name).orElseThrow(() -> new IllegalArgumentException("no in-memory data set '" + name + "'")).append(rows);
    }

    public static void append(String name, Object... row) {
        append(name, List.<Object[]>of(row));
    }

    /** The rows of a data set now (including those a persistent query wrote to it), in order. */
    public static List<Object[]> rows(String name) {
        DataSet dataSet = dataSet(name).orElseThrow(() -> new IllegalArgumentException("no in-memory data set '" + name + "'"));
        List<Object[]> rows = new ArrayList<>();
        synchronized (dataSet) {
            dataSet.copy(0, dataSet.size(), rows);
        }
        return rows;
    }

    public static boolean unregister(String name) {
        return DATA_SETS.remove(name) != null;
    }

    public static Set<String> names() {
        return new TreeSet<>(DATA_SETS.keySet());
    }

    static Optional<DataSet> dataSet(String name) {
        return Optional.ofNullable(DATA_SETS.get(name));
    }

    /** One data set: an append-only list of rows. */
    static final class DataSet {
        private final boolean bounded;
        private final List<Object[]> rows = new ArrayList<>();
        /** Per consumer, the row index it resumes at (what it committed). */
        private final Map<String, Long> committed = new HashMap<>();

        DataSet(boolean bounded) {
            this.bounded = bounded;
        }

        boolean bounded() {
            return bounded;
        }

        synchronized void append(List<Object[]> newRows) {
            for (Object[] row : newRows) {
                rows.add(requireNonNull(row, "row is null").clone());
            }
        }

        synchronized int size() {
            return rows.size();
        }

        /** Per exactly-once writer, the last checkpoint whose rows were appended. */
        private final Map<String, Long> committedCheckpoints = new HashMap<>();

        /** Appends a checkpoint's rows and records it as committed for the writer, atomically. */
        synchronized void appendCommitted(String writerId, long checkpointId, List<Object[]> newRows) {
            append(newRows);
            committedCheckpoints.put(writerId, checkpointId);
        }

        synchronized long committedCheckpoint(String writerId) {
            return committedCheckpoints.getOrDefault(writerId, 0L);
        }

        synchronized void commit(String consumerId, long next) {
            committed.put(consumerId, next);
        }

        synchronized long committed(String consumerId) {
            return committed.getOrDefault(consumerId, 0L);
        }

        /** Rows {@code from} (inclusive) to {@code to} (exclusive), into {@code target}. */
        synchronized void copy(int from, int to, List<Object[]> target) {
            target.addAll(rows.subList(from, to));
        }
    }
}
