package io.weir.spi.connector;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one sink object wrote since the server started, over all the queries writing it: rows handed to
 * its writers, the bytes its connector sent (where the connector counts them: Kafka's keys and values,
 * webhook request bodies), and the attempts it repeated after a failure. Thread-safe.
 */
public final class SinkCounters {
    private final LongAdder rows = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder retries = new LongAdder();

    /** The figures at one moment. */
    public record Snapshot(long rows, long bytes, long retries) {
    }

    public void rowsWritten(long count) {
        rows.add(count);
    }

    public void bytesSent(long count) {
        bytes.add(count);
    }

    public void retried() {
        retries.increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(rows.sum(), bytes.sum(), retries.sum());
    }
}
