package io.weir.sql.statement;

import io.weir.engine.latency.LatencyPercentiles;
import io.weir.engine.exec.OperatorStatistics;
import io.weir.engine.exec.QueryStatistics;
import io.weir.engine.exec.RunningQueries;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code EXPLAIN ANALYZE QUERY 'id'} prints for a running query: a line about the query (state,
 * micro-batches, rows, watermark, result latency, parallelism), then its micro-batch DAG as EXPLAIN prints
 * it, root first and indented by depth, each operator with its rows in and out, the time spent in it and
 * the state it holds, summed over its tasks, and for window aggregations the windows open and the oldest one's
 * end, as of the last micro-batch.
 */
final class QueryAnalysis {
    private QueryAnalysis() {
    }

    static List<String> lines(RunningQueries.QueryInfo query) {
        QueryStatistics statistics = query.statistics();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Query %s (%s, %s): %,d micro-batches, %,d rows in, %,d rows out, %,d late, "
                        + "watermark %s, parallelism %d%s", query.id(), query.kind().name(), query.state().name(), statistics.batches(),
                statistics.rowsIn(), statistics.rowsOut(), statistics.lateRows(), watermark(statistics.watermarkMillis()),
                statistics.parallelism(), latency("result latency", statistics.resultLatency())
                        + latency("end-to-end latency", statistics.endToEndLatency())));
        long totalNanos = statistics.operators().stream().mapToLong(OperatorStatistics::nanos).sum();
        if (statistics.operators().isEmpty()) {
            lines.add("(no micro-batch has run yet)");
        }
        for (OperatorStatistics operator : statistics.operators()) {
            lines.add("  ".repeat(operator.depth()) + operator.operator() + String.format(Locale.ROOT,
                    ": rows in %,d, rows out %,d, time %.1f ms (%.0f%%), state %,d rows, %s",
                    operator.rowsIn(), operator.rowsOut(), operator.nanos() / 1e6,
                    totalNanos == 0 ? 0.0 : 100.0 * operator.nanos() / totalNanos, operator.stateRows(), bytes(operator.stateBytes()))
                    + windows(operator));
        }
        return List.copyOf(lines);
    }

    /** For a window aggregation: how many windows are open and when the oldest ends. */
    private static String windows(OperatorStatistics operator) {
        if (!operator.windowed()) {
            return "";
        }
        return operator.openWindows() == 0 ? ", no open window" : String.format(Locale.ROOT, ", %,d open window%s, oldest ending %s",
                operator.openWindows(), operator.openWindows() == 1 ? "" : "s", Instant.ofEpochMilli(operator.oldestWindowEnd()));
    }

    private static String watermark(long millis) {
        if (millis == Long.MIN_VALUE) {
            return "none yet";
        }
        return millis == Long.MAX_VALUE ? "at the end of the input" : Instant.ofEpochMilli(millis).toString();
    }

    private static String latency(String name, LatencyPercentiles latency) {
        return latency.known()
                ? String.format(Locale.ROOT, ", %s p50 %.1f ms, p99 %.1f ms", name, latency.p50Millis(), latency.p99Millis())
                : "";
    }

    private static String bytes(long bytes) {
        if (bytes < 10 * 1024) {
            return bytes + " bytes";
        }
        return bytes < 10L * 1024 * 1024 ? String.format(Locale.ROOT, "%,d KiB", bytes / 1024)
                : String.format(Locale.ROOT, "%,d MiB", bytes / (1024 * 1024));
    }
}
