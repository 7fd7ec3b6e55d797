package io.weir.sql.statement;

import io.weir.spi.ErrorCode;
import io.weir.spi.SqlPosition;
import io.weir.spi.WeirException;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.runtime.CalciteException;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.validate.SqlValidatorException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns what Calcite throws into {@link WeirException}s with an error code and SQL position. */
public final class SqlErrors {
    private static final Pattern NOT_FOUND = Pattern.compile("(?:Object|Table) '([^']+)' not found.*");
    private static final Pattern COLUMN_NOT_FOUND = Pattern.compile("Column '([^']+)' not found.*");
    /** Calcite's RexBuilder on a literal too large for its type (LIMIT 99999999999999999999). */
    private static final Pattern OVERFLOW = Pattern.compile("Cannot convert (\\S+) to (.+) due to overflow");
    /** Janino on generated code of a predicate or projection with thousands of terms. */
    private static final Pattern METHOD_TOO_LARGE = Pattern.compile(".*(?:grows beyond 64 KB|too large|Code too large).*");

    private SqlErrors() {
    }

    public static SqlPosition position(SqlParserPos pos) {
        if (pos == null || pos.getLineNum() < 1 || pos.getColumnNum() < 1) {
            return null;
        }
        return new SqlPosition(pos.getLineNum(), pos.getColumnNum());
    }

    /**
     * Maps any failure of parsing, validating or planning to a user-facing WeirException; on a thread
     * planning a statement that was cancelled, to the cancellation (whatever the planner threw on seeing it).
     */
    public static WeirException translate(Throwable failure) {
        StatementCancel cancel = StatementCancel.current().orElse(null);
        if (cancel != null && cancel.isCancelled()) {
            return cancel.failure();
        }
        for (Throwable t = failure; t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof StackOverflowError) {
                return tooDeep();
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WeirException weir) {
                return weir;
            }
            if (t instanceof CalciteContextException context) {
                return fromContext(context);
            }
            if (t instanceof SqlParseException parse) {
                return new WeirException(ErrorCode.SYNTAX_ERROR, position(parse.getPos()), firstLine(parse.getMessage()), parse);
            }
            if (t == t.getCause()) {
                break;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SqlValidatorException validator) {
                return new WeirException(ErrorCode.VALIDATION_ERROR, cut(String.valueOf(validator.getMessage())), failure);
            }
            Matcher overflow = t instanceof IllegalArgumentException && t.getMessage() != null ? OVERFLOW.matcher(t.getMessage()) : null;
            if (overflow != null && overflow.matches()) {
                return new WeirException(ErrorCode.NUMERIC_OUT_OF_RANGE, "Number " + overflow.group(1) + " is out of range for "
                        + overflow.group(2) + " (integers have at most 19 digits: up to 9223372036854775807)");
            }
            if (t instanceof CalciteException && t.getMessage() != null && t.getMessage().startsWith("Invalid character for cast")) {
                return new WeirException(ErrorCode.INVALID_CAST, cut(t.getMessage()) + ": the text is not a value of the type it is"
                        + " cast to", failure);
            }
            if (t instanceof UnsupportedOperationException && t.getMessage() != null
                    && t.getMessage().startsWith("class " + org.apache.calcite.sql.SqlDynamicParam.class.getName())) {
                // Calcite infers a parameter's type from the other side of its comparison; in x = ? = ? that side is
                // another parameter not typed yet, and Calcite gives up with this
                return new WeirException(ErrorCode.VALIDATION_ERROR, "A parameter (?) stands where its type cannot be"
                        + " inferred (as in x = ? = ?): give it one with CAST(? AS type)", failure);
            }
            if (t instanceof NumberFormatException) {
                return new WeirException(ErrorCode.INVALID_CAST, "Cannot cast text to a number: " + cut(String.valueOf(t.getMessage())),
                        failure);
            }
            if (t.getMessage() != null && t.getClass().getName().startsWith("org.codehaus") && METHOD_TOO_LARGE.matcher(t.getMessage()).matches()) {
                return new WeirException(ErrorCode.PROGRAM_LIMIT_EXCEEDED, "The statement has too many terms to be compiled (a"
                        + " predicate or select list of thousands of terms): split it, or join with a table of the values");
            }
        }
        return new WeirException(ErrorCode.INTERNAL_ERROR,
                "Internal error: " + cut(failure.toString()) + ". This is a bug in Weir; the server log has the details", failure);
    }

    /** A message cut to a size for a client and a log line (a compiler's message may hold a whole generated class). */
    static String cut(String message) {
        return message.length() <= MAX_MESSAGE_CHARS ? message
                : message.substring(0, MAX_MESSAGE_CHARS) + "... (" + (message.length() - MAX_MESSAGE_CHARS) + " more characters)";
    }

    private static final int MAX_MESSAGE_CHARS = 1000;

    private static WeirException tooDeep() {
        return new WeirException(ErrorCode.PROGRAM_LIMIT_EXCEEDED, "The statement is nested too deeply to be planned"
                + " (expressions, OR terms, NOT or subqueries hundreds of levels deep): write it with fewer levels");
    }

    private static WeirException fromContext(CalciteContextException context) {
        SqlPosition position = context.getPosLine() > 0 && context.getPosColumn() > 0
                ? new SqlPosition(context.getPosLine(), context.getPosColumn()) : null;
        Throwable cause = context.getCause();
        String message = cause != null && cause.getMessage() != null ? cause.getMessage() : context.getMessage();
        ErrorCode code = ErrorCode.VALIDATION_ERROR;
        Matcher notFound = NOT_FOUND.matcher(message);
        if (notFound.matches()) {
            code = ErrorCode.UNKNOWN_OBJECT;
            message = "Stream or table '" + notFound.group(1) + "' does not exist. SHOW STREAMS and SHOW TABLES list what is registered";
        } else if (COLUMN_NOT_FOUND.matcher(message).matches()) {
            code = ErrorCode.UNKNOWN_COLUMN;
        }
        return new WeirException(code, position, cut(message), context);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "Syntax error";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
