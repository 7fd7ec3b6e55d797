package io.weir.server.crash;

import java.util.List;

/** Delivers one step of a run's input somewhere the server reads it: a Kafka topic, a watched directory, HTTP ingest. */
interface StepWriter extends AutoCloseable {
    /**
     * Delivers {@code step}, the input's records from index {@code firstIndex} on; returns once they are
     * durably there (acknowledged), retrying as long as it takes, or throws.
     */
    void write(int firstIndex, List<InputRecord> step) throws Exception;

    @Override
    default void close() {
    }
}
