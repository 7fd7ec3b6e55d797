package io.weir.sql.stream;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.parser.ddl.SqlEmit;
import io.weir.sql.statement.SqlErrors;
import org.apache.calcite.sql.SqlNode;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a statement's EMIT clause asks of its windows: nothing said (the kind of query decides: final
 * rows for a continuous query, unless its session's {@code 'emit.early-interval'} says otherwise; every
 * micro-batch's changes for a view or an upserting INSERT), {@code EMIT AFTER WATERMARK} (final rows
 * only) or {@code EMIT EVERY interval} (open windows' changed values once per interval, then final).
 *
 * @param clause the EMIT clause, for errors at its position; null when there is none
 */
public record WindowEmission(Kind kind, long everyMillis, SqlEmit clause) {
    public enum Kind { UNSAID, AFTER_WATERMARK, EVERY }

    /** No EMIT clause. */
    public static final WindowEmission UNSAID = new WindowEmission(Kind.UNSAID, 0, null);

    public WindowEmission {
        requireNonNull(kind, "kind is null");
        if ((kind == Kind.EVERY) != (everyMillis > 0)) {
            throw new IllegalArgumentException("an interval is for EMIT EVERY: " + kind + " " + everyMillis);
        }
    }

    /** The EMIT clause of a parsed statement, if it has one. */
    public static WindowEmission of(SqlNode statement) {
        if (!(statement instanceof SqlEmit emit)) {
            return UNSAID;
        }
        Optional<Duration> every;
        try {
            every = emit.every();
        } catch (IllegalArgumentException e) {
            throw new WeirException(ErrorCode.VALIDATION_ERROR, SqlErrors.position(emit.clausePosition()), e.getMessage());
        }
        return every.map(interval -> new WindowEmission(Kind.EVERY, interval.toMillis(), emit))
                .orElseGet(() -> new WindowEmission(Kind.AFTER_WATERMARK, 0, emit));
    }

    /** EMIT EVERY as the session's {@code 'emit.early-interval'} sets it (zero: final rows). */
    public static WindowEmission everyFromSession(Duration interval) {
        return interval.isZero() || interval.isNegative() ? new WindowEmission(Kind.AFTER_WATERMARK, 0, null)
                : new WindowEmission(Kind.EVERY, interval.toMillis(), null);
    }

    /** This, or {@code fallback} when no EMIT clause said anything. */
    public WindowEmission orElse(WindowEmission fallback) {
        return kind == Kind.UNSAID ? fallback : this;
    }

    /** An error about the EMIT clause, at its position. */
    public WeirException reject(String message) {
        return new WeirException(ErrorCode.NOT_SUPPORTED, clause == null ? null : SqlErrors.position(clause.clausePosition()),
                message);
    }
}
