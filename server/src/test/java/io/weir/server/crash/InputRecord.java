package io.weir.server.crash;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

import static java.util.Objects.requireNonNull;

/**
 * One input record: its Kafka partition and record timestamp (the stream's event time), a key and a
 * value. {@code endMarker} records come last, far later in event time, to close every window of the
 * others.
 */
record InputRecord(int partition, long timestampMillis, String key, long value, boolean endMarker) {
    InputRecord {
        requireNonNull(key, "key is null");
    }

    /** The record's value as the stream reads it (format json). */
    String json() {
        return "{\"k\":\"" + key + "\",\"x\":" + value + "}";
    }

    /** The record as a JSON line that carries its event time too, in epoch milliseconds, as column {@code ts}. */
    String jsonWithEventTime() {
        return "{\"k\":\"" + key + "\",\"x\":" + value + ",\"ts\":" + timestampMillis + "}";
    }

    /** {@link #jsonWithEventTime()} with the record's {@code id} (its index in the input) as column {@code id}. */
    String jsonWithIdAndEventTime(long id) {
        return "{\"id\":" + id + ",\"k\":\"" + key + "\",\"x\":" + value + ",\"ts\":" + timestampMillis + "}";
    }

    /** The event time as a TIMESTAMP column shows it (UTC wall-clock time). */
    LocalDateTime eventTime() {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(timestampMillis), ZoneOffset.UTC);
    }
}
