package io.weir.spi;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type Weir raises for anything a user can see. It carries an {@link ErrorCode}
 * (and so a SQLSTATE) and, for errors in SQL text, the position of the offending token.
 */
public class WeirException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode errorCode;
    private final SqlPosition position;

    public WeirException(ErrorCode errorCode, String message) {
        this(errorCode, null, message, null);
    }

    public WeirException(ErrorCode errorCode, String message, Throwable cause) {
        this(errorCode, null, message, cause);
    }

    public WeirException(ErrorCode errorCode, SqlPosition position, String message) {
        this(errorCode, position, message, null);
    }

    public WeirException(ErrorCode errorCode, SqlPosition position, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.errorCode = requireNonNull(errorCode, "errorCode is null");
        this.position = position;
    }

    public ErrorCode errorCode() {
        return errorCode;
    }

    public Optional<SqlPosition> position() {
        return Optional.ofNullable(position);
    }

    /** The message as shown to users: the position first, so it reads "At line 1, column 8: ...". */
    @Override
    public String getMessage() {
        String message = super.getMessage();
        return position == null ? message : "At " + position + ": " + message;
    }

    /** The message without the position prefix. */
    public String rawMessage() {
        return super.getMessage();
    }
}
