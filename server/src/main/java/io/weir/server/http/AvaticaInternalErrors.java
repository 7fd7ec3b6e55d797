package io.weir.server.http;

import io.weir.spi.ErrorCode;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.remote.Service;

import java.util.List;

/**
 * Error responses for failures Avatica's own handlers do not catch (anything that is not an
 * {@link Exception}, such as a {@link StackOverflowError} in a Meta call). Without one the client
 * would wait for its full HTTP time-out (180 s by default) instead of failing at once.
 */
final class AvaticaInternalErrors {
    private AvaticaInternalErrors() {
    }

    /** An ErrorResponse with SQLSTATE XX000 (internal error) and the failure's message. */
    static Service.ErrorResponse internalError(Throwable failure) {
        String message = "Internal error: " + failure.getClass().getName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage())
                + ". The server log has the details";
        // No stack traces: they stay in the server log, not in every client's error message.
        return new Service.ErrorResponse(List.of(), message, ErrorCode.INTERNAL_ERROR.vendorCode(),
                ErrorCode.INTERNAL_ERROR.sqlState(), AvaticaSeverity.ERROR, null);
    }
}
