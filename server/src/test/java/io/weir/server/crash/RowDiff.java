package io.weir.server.crash;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Says how two lists of rows differ as multisets: rows missing, rows there too often or not expected. */
final class RowDiff {
    private static final int SHOWN = 20;

    private RowDiff() {
    }

    static <T> boolean sameMultiset(List<T> expected, List<T> actual) {
        return expected.size() == actual.size() && counts(expected).equals(counts(actual));
    }

    static <T> String describe(List<T> expected, List<T> actual) {
        Map<T, Integer> want = counts(expected);
        Map<T, Integer> have = counts(actual);
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        want.forEach((row, count) -> {
            int seen = have.getOrDefault(row, 0);
            if (seen < count) {
                missing.add(row + (count - seen > 1 ? " x" + (count - seen) : ""));
            }
        });
        have.forEach((row, count) -> {
            int wanted = want.getOrDefault(row, 0);
            if (count > wanted) {
                extra.add(row + (wanted > 0 ? " (" + count + " times, expected " + wanted + ")" : ""));
            }
        });
        return "expected " + expected.size() + " rows, got " + actual.size() + "; " + missing.size() + " missing"
                + shown(missing) + "; " + extra.size() + " unexpected or repeated" + shown(extra);
    }

    private static String shown(List<String> rows) {
        if (rows.isEmpty()) {
            return "";
        }
        return ", e.g.\n    " + String.join("\n    ", rows.subList(0, Math.min(SHOWN, rows.size()))) + "\n";
    }

    private static <T> Map<T, Integer> counts(List<T> rows) {
        Map<T, Integer> counts = new HashMap<>();
        rows.forEach(row -> counts.merge(row, 1, Integer::sum));
        return counts;
    }
}
