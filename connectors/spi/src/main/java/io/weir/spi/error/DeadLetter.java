package io.weir.spi.error;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * A record a source could not decode, kept under the {@code 'dead-letter'} policy.
 *
 * @param objectName the stream or table, e.g. {@code clicks}
 * @param source where the record was, e.g. {@code file /data/clicks/a.json line 17}
 * @param raw the record's bytes (UTF-8 for textual records)
 * @param reason why it could not be decoded, e.g. {@code field 'ts': cannot parse 'abc' as TIMESTAMP}
 * @param time when it was rejected
 */
public record DeadLetter(String objectName, String source, byte[] raw, String reason, Instant time) {
    public DeadLetter {
        requireNonNull(objectName, "objectName is null");
        requireNonNull(source, "source is null");
        requireNonNull(raw, "raw is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(time, "time is null");
        raw = raw.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /** The record as UTF-8 text (malformed bytes replaced). */
    public String rawText() {
        return new String(raw, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DeadLetter that && objectName.equals(that.objectName) && source.equals(that.source)
                && Arrays.equals(raw, that.raw) && reason.equals(that.reason) && time.equals(that.time);
    }

    @Override
    public int hashCode() {
        return Objects.hash(objectName, source, Arrays.hashCode(raw), reason, time);
    }

    @Override
    public String toString() {
        return "DeadLetter[" + objectName + ", " + source + ", " + reason + "]";
    }
}
