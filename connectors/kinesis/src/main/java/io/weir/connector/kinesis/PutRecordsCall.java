package io.weir.connector.kinesis;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One {@code PutRecords} call: the writer's only contact with Kinesis, so its retries can be tested without it. */
interface PutRecordsCall {
    /** A record to put. */
    record Entry(String partitionKey, byte[] data) {
        public Entry {
            requireNonNull(partitionKey, "partitionKey is null");
            requireNonNull(data, "data is null");
        }
    }

    /**
     * Puts {@code entries} (at most 500, 5 MB) into {@code stream}.
     *
     * @return per entry, in order, empty when Kinesis stored it, else its error code and message
     * @throws software.amazon.awssdk.core.exception.SdkException when the call as a whole failed
     */
    List<Optional<String>> put(String stream, List<Entry> entries);
}
