package io.weir.spi.error;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.spi.batch.BatchBuilder;
import io.weir.spi.connector.ObjectKind;
import io.weir.spi.format.RecordDecodeException;
import io.weir.spi.format.RecordDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Applies a stream's (or table's) {@link ErrorPolicy} to records its source cannot decode:
 * {@code FAIL} throws a {@link WeirException} naming the record; {@code SKIP} counts it;
 * {@code DEAD_LETTER} counts it and hands it to the {@link DeadLetterSink}. Thread-safe.
 */
public final class RecordErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RecordErrorHandler.class);
    private static final int MAX_LOGGED_TEXT = 200;

    private final String objectName;
    private final ObjectKind kind;
    private final ErrorPolicy policy;
    private final DeadLetterSink sink;
    private final SourceCounters counters;
    private final InstantSource clock;

    /**
     * @param sink where dead letters go; may be null unless the policy is {@code DEAD_LETTER}
     */
    /** Bytes of records read not added to the counters yet: added once per poll, not per record. */
    private long pendingBytes;

    public RecordErrorHandler(String objectName, ObjectKind kind, ErrorPolicy policy, DeadLetterSink sink,
                              SourceCounters counters, InstantSource clock) {
        this.objectName = requireNonNull(objectName, "objectName is null");
        this.kind = requireNonNull(kind, "kind is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.clock = requireNonNull(clock, "clock is null");
        if (policy == ErrorPolicy.DEAD_LETTER && sink == null) {
            throw new IllegalArgumentException("the dead-letter policy needs a sink");
        }
        this.sink = sink;
    }

    /** A handler with the {@code FAIL} policy and fresh counters, e.g. for validation at CREATE time. */
    public static RecordErrorHandler failing(String objectName, ObjectKind kind) {
        return new RecordErrorHandler(objectName, kind, ErrorPolicy.FAIL, null, new SourceCounters(), InstantSource.system());
    }

    public String objectName() {
        return objectName;
    }

    public ObjectKind kind() {
        return kind;
    }

    public ErrorPolicy policy() {
        return policy;
    }

    public SourceCounters counters() {
        return counters;
    }

    /** Counts rows a reader produced, and the bytes of the records read since the last call. */
    public void recordsRead(long rows) {
        counters.addRead(rows);
        if (pendingBytes > 0) {
            counters.addBytes(pendingBytes);
            pendingBytes = 0;
        }
    }

    /**
     * Counts {@code bytes} bytes of records read (counted with the next {@link #recordsRead}), for readers that
     * decode records themselves; {@link #decodeInto} counts the records it is given.
     */
    public void bytesRead(long bytes) {
        pendingBytes += bytes;
    }

    /**
     * Decodes one textual record into {@code out} as a row of split {@code split}.
     *
     * @param source where the record was, made only when it fails (e.g. {@code file /data/a.json line 17})
     * @return true when a row was committed; false for a record without a row (a blank line, a CSV
     *         header) or one that failed, which is rolled back and handled by the policy
     * @throws WeirException under the {@code FAIL} policy
     */
    public boolean decodeInto(RecordDecoder decoder, String record, BatchBuilder out, int split, Supplier<String> source) {
        pendingBytes += record.length(); // characters: exact for ASCII text, cheaper than encoding to count
        try {
            if (decoder.decode(record, out)) {
                out.setSplit(split);
                out.commitRow();
                return true;
            }
            return false;
        } catch (RecordDecodeException e) {
            out.abortRow();
            handle(source.get(), record, e.reason());
            return false;
        }
    }

    /** Decodes one binary record into {@code out}, as {@link #decodeInto(RecordDecoder, String, BatchBuilder, int, Supplier)}. */
    public boolean decodeInto(RecordDecoder decoder, byte[] record, BatchBuilder out, int split, Supplier<String> source) {
        pendingBytes += record.length;
        try {
            if (decoder.decode(record, 0, record.length, out)) {
                out.setSplit(split);
                out.commitRow();
                return true;
            }
            return false;
        } catch (RecordDecodeException e) {
            out.abortRow();
            handle(source.get(), record, e.reason());
            return false;
        }
    }

    /**
     * Decodes the binary record {@code bytes[from..to)} into {@code out}, as
     * {@link #decodeInto(RecordDecoder, String, BatchBuilder, int, Supplier)}; the array may be the
     * reader's buffer: a record that fails is copied for its dead letter.
     */
    public boolean decodeInto(RecordDecoder decoder, byte[] bytes, int from, int to, BatchBuilder out, int split,
                              Supplier<String> source) {
        pendingBytes += to - from;
        try {
            if (decoder.decode(bytes, from, to - from, out)) {
                out.setSplit(split);
                out.commitRow();
                return true;
            }
            return false;
        } catch (RecordDecodeException e) {
            out.abortRow();
            handle(source.get(), java.util.Arrays.copyOfRange(bytes, from, to), e.reason());
            return false;
        }
    }

    /**
     * Handles a textual record that could not be decoded.
     *
     * @param source where the record was, e.g. {@code file /data/a.json line 17}
     * @throws WeirException under the {@code FAIL} policy
     */
    public void handle(String source, String rawText, String reason) {
        requireNonNull(rawText, "rawText is null");
        handle(source, rawText, null, reason);
    }

    /** Handles a binary record that could not be decoded. */
    public void handle(String source, byte[] raw, String reason) {
        requireNonNull(raw, "raw is null");
        handle(source, null, raw, reason);
    }

    private void handle(String source, String text, byte[] bytes, String reason) {
        requireNonNull(source, "source is null");
        requireNonNull(reason, "reason is null");
        switch (policy) {
            case FAIL -> throw new WeirException(ErrorCode.RECORD_DECODE_ERROR, kind.displayName() + " '" + objectName
                    + "': cannot decode record at " + source + ": " + reason + ". Set 'on-error' = 'skip' or 'dead-letter' to "
                    + (kind == ObjectKind.STREAM ? "keep the stream running" : "read the table without the bad records"));
            case SKIP -> {
                counters.incrementSkipped();
                LOG.debug("{} '{}': skipped record at {}: {}", kind.displayName(), objectName, source, reason);
            }
            case DEAD_LETTER -> {
                byte[] raw = bytes != null ? bytes : text.getBytes(StandardCharsets.UTF_8);
                sink.accept(new DeadLetter(objectName, source, raw, reason, clock.instant()));
                counters.incrementDeadLettered();
                if (LOG.isDebugEnabled()) {
                    LOG.debug("{} '{}': dead-lettered record at {}: {} ({})", kind.displayName(), objectName, source, reason,
                            abbreviate(text != null ? text : "<" + raw.length + " bytes>"));
                }
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= MAX_LOGGED_TEXT ? text : text.substring(0, MAX_LOGGED_TEXT) + "...";
    }
}
