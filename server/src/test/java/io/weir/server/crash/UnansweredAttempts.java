package io.weir.server.crash;

/**
 * Per input record, the attempts to deliver it that got no answer: a request that reached the server and
 * broke before its answer (the server killed) may or may not have been taken, so the server may hold the
 * record once more per such attempt. A request refused outright (server down) reached nothing and does not
 * count. Written by the feeder's thread, read after the feeder finished.
 */
final class UnansweredAttempts {
    private final int[] perRecord;
    private int requests;

    /** @param records how many records the input has (ids are below it) */
    UnansweredAttempts(int records) {
        this.perRecord = new int[records];
    }

    /** A request carrying the {@code count} records from id {@code firstId} on got no answer. */
    void add(int firstId, int count) {
        requests++;
        for (int i = 0; i < count; i++) {
            perRecord[firstId + i]++;
        }
    }

    /** Attempts to deliver record {@code id} that got no answer. */
    int of(int id) {
        return perRecord[id];
    }

    /** Requests that got no answer. */
    int requests() {
        return requests;
    }
}
