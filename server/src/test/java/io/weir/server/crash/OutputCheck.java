package io.weir.server.crash;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Waits until a crash run's output equals its expected rows, and says how they differ when they do not. */
final class OutputCheck {
    private static final int LOG_LINES_SHOWN = 60;

    private OutputCheck() {
    }

    /**
     * Waits, at most {@code settings.catchUpTimeout()}, until {@code read} returns {@code expected} as a
     * multiset; on timeout fails with the difference and the last lines of the server's log.
     */
    static <T> void awaitRows(CrashSettings settings, ServerProcess server, String description, List<T> expected,
                              Callable<List<T>> read) {
        List<List<T>> last = new ArrayList<>(List.of(List.of()));
        Await.until(description, settings.catchUpTimeout(), () -> {
            List<T> rows = read.call();
            last.set(0, rows);
            return RowDiff.sameMultiset(expected, rows);
        }, () -> RowDiff.describe(expected, last.get(0)) + "\nserver log (" + server.log() + "), last lines:\n"
                + server.logTail(LOG_LINES_SHOWN));
    }
}
