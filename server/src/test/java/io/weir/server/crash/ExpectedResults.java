package io.weir.server.crash;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/** What the queries of a crash run must output for its input: computed here, as an uninterrupted run would. */
final class ExpectedResults {
    private ExpectedResults() {
    }

    /** One row of {@code TUMBLE ... GROUP BY window_start, window_end, k} with {@code COUNT(*)} and {@code SUM(x)}. */
    record WindowRow(LocalDateTime windowStart, LocalDateTime windowEnd, String key, long count, long sum)
            implements Comparable<WindowRow> {
        @Override
        public int compareTo(WindowRow other) {
            int byStart = windowStart.compareTo(other.windowStart);
            if (byStart != 0) {
                return byStart;
            }
            int byKey = key.compareTo(other.key);
            return byKey != 0 ? byKey : toString().compareTo(other.toString());
        }
    }

    /** One row of {@code GROUP BY k} with {@code COUNT(*)} and {@code SUM(x)}. */
    record KeyTotal(String key, long count, long sum) implements Comparable<KeyTotal> {
        @Override
        public int compareTo(KeyTotal other) {
            int byKey = key.compareTo(other.key);
            return byKey != 0 ? byKey : toString().compareTo(other.toString());
        }
    }

    /** The tumbling windows of the records {@code included}, sorted. */
    static List<WindowRow> tumblingWindows(List<InputRecord> input, Duration size, Predicate<InputRecord> included) {
        return hoppingWindows(input, size, size, included);
    }

    /**
     * The hopping windows ({@code HOP(..., slide, size)}: windows of {@code size} starting every
     * {@code slide}, aligned to the epoch) of the records {@code included}, sorted.
     */
    static List<WindowRow> hoppingWindows(List<InputRecord> input, Duration slide, Duration size,
                                          Predicate<InputRecord> included) {
        long slideMillis = slide.toMillis();
        long sizeMillis = size.toMillis();
        Map<String, long[]> totals = new TreeMap<>();
        for (InputRecord record : input) {
            if (included.test(record)) {
                long lastStart = Math.floorDiv(record.timestampMillis(), slideMillis) * slideMillis;
                for (long start = lastStart; start > record.timestampMillis() - sizeMillis; start -= slideMillis) {
                    long[] total = totals.computeIfAbsent(start + "|" + record.key(), k -> new long[2]);
                    total[0]++;
                    total[1] += record.value();
                }
            }
        }
        List<WindowRow> rows = new ArrayList<>();
        totals.forEach((group, total) -> {
            long start = Long.parseLong(group.substring(0, group.indexOf('|')));
            String key = group.substring(group.indexOf('|') + 1);
            rows.add(new WindowRow(utc(start), utc(start + sizeMillis), key, total[0], total[1]));
        });
        rows.sort(null);
        return rows;
    }

    /** The totals per key of every record, sorted by key. */
    static List<KeyTotal> totalsPerKey(List<InputRecord> input) {
        Map<String, long[]> totals = new TreeMap<>();
        for (InputRecord record : input) {
            long[] total = totals.computeIfAbsent(record.key(), k -> new long[2]);
            total[0]++;
            total[1] += record.value();
        }
        List<KeyTotal> rows = new ArrayList<>();
        totals.forEach((key, total) -> rows.add(new KeyTotal(key, total[0], total[1])));
        return rows;
    }

    static LocalDateTime utc(long epochMillis) {
        return LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000), (int) Math.floorMod(epochMillis, 1000) * 1_000_000,
                java.time.ZoneOffset.UTC);
    }
}
