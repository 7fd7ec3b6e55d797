package io.weir.server.pg;

import io.weir.spi.ErrorCode;
import io.weir.spi.SqlPosition;
import io.weir.spi.WeirException;
import io.weir.sql.statement.SqlErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Weir's errors as PostgreSQL ErrorResponses: severity, SQLSTATE, message and position. Weir's SQLSTATEs
 * are kept, except the ODBC-style ones PostgreSQL does not use, which become PostgreSQL's (so that drivers
 * and ORMs that map SQLSTATEs to exceptions recognize them).
 */
final class PgErrors {
    private static final Logger LOG = LoggerFactory.getLogger(PgErrors.class);

    private PgErrors() {
    }

    /** Any failure as a WeirException; internal errors are logged with their stack trace. */
    static WeirException weir(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        WeirException weir = cause instanceof WeirException w ? w : SqlErrors.translate(cause);
        if (weir.errorCode() == ErrorCode.INTERNAL_ERROR) {
            LOG.error("Internal error: {}", weir.getMessage(), cause);
        } else {
            LOG.debug("Statement failed: {}", weir.getMessage());
        }
        return weir;
    }

    /** PostgreSQL's SQLSTATE for a Weir error. */
    static String sqlState(WeirException error) {
        ErrorCode code = error.errorCode();
        return switch (code) {
            case SYNTAX_ERROR -> "42601";
            case UNKNOWN_OBJECT, DEPENDENCY_DROPPED -> "42P01";
            case UNKNOWN_COLUMN -> "42703";
            case OBJECT_ALREADY_EXISTS -> "42P07";
            case UNKNOWN_OPTION -> "42704";
            default -> code.sqlState();
        };
    }

    /** Writes an ErrorResponse. */
    static void write(PgOutput out, String severity, String sqlState, String message, int position) {
        out.begin('E')
                .int8('S').string(severity)
                .int8('V').string(severity)
                .int8('C').string(sqlState)
                .int8('M').string(message);
        if (position > 0) {
            out.int8('P').string(Integer.toString(position));
        }
        out.int8(0).end();
    }

    /** Writes a NoticeResponse with a warning. */
    static void warning(PgOutput out, String message) {
        out.begin('N').int8('S').string("WARNING").int8('V').string("WARNING").int8('C').string("01000")
                .int8('M').string(message).int8(0).end();
    }

    /** The message without Weir's " at line l, column c" (PostgreSQL clients show the position themselves). */
    static String message(WeirException error) {
        return error.rawMessage();
    }

    /** The 0-based index in {@code sql} of a one-based line and column, or -1. */
    static int index(String sql, SqlPosition position) {
        int line = 1;
        int i = 0;
        while (line < position.line() && i < sql.length()) {
            if (sql.charAt(i) == '\n') {
                line++;
            }
            i++;
        }
        int index = i + position.column() - 1;
        return index <= sql.length() ? index : -1;
    }
}
