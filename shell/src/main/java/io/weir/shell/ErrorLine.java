package io.weir.shell;

import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.regex.Pattern;

/**
 * A failed statement (or a warning) in one line: {@code Error 42S02: message}. Drops what Avatica's
 * client wraps around the server's message ({@code Error 1001 (42S02) : Error while executing SQL "...":
 * Remote driver error: }), since the shell shows the statement already.
 */
public final class ErrorLine {
    private static final Pattern AVATICA_PREFIX = Pattern.compile("^Error -?\\d+ \\([^)]*\\) : ");
    private static final String REMOTE_ERROR = "Remote driver error: ";

    private ErrorLine() {
    }

    public static String of(SQLException e) {
        String kind = e instanceof SQLWarning ? "Warning" : "Error";
        String state = e.getSQLState() == null || e.getSQLState().isBlank() ? "" : " " + e.getSQLState().trim();
        return kind + state + ": " + message(e);
    }

    /** The message the server (or the driver) gave, without Avatica's wrapping. */
    static String message(SQLException e) {
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage().strip();
        message = AVATICA_PREFIX.matcher(message).replaceFirst("");
        int remote = message.indexOf(REMOTE_ERROR);
        if (remote >= 0) {
            message = message.substring(remote + REMOTE_ERROR.length());
        }
        return message.isEmpty() ? e.getClass().getName() : message;
    }
}
