package io.weir.server.meta;

import io.weir.spi.ErrorCode;
import io.weir.spi.WeirException;
import io.weir.sql.statement.SqlErrors;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.NoSuchConnectionException;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns any failure inside a Meta call into the error the Avatica client raises as an
 * {@link java.sql.SQLException} with our SQLSTATE, vendor code and message (which carries the SQL
 * position). Internal errors are logged with their stack trace; user errors are not.
 */
final class AvaticaErrors {
    private static final Logger LOG = LoggerFactory.getLogger(AvaticaErrors.class);
    private static final long STACK_TRACE_INTERVAL_NANOS = 1_000_000_000L;
    /** When a stack trace was logged last; per JVM, as the log is. */
    private static final java.util.concurrent.atomic.AtomicLong lastStackTrace = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - STACK_TRACE_INTERVAL_NANOS - 1);

    private AvaticaErrors() {
    }

    static RuntimeException toAvatica(Throwable failure) {
        if (failure instanceof VirtualMachineError fatal && !(failure instanceof StackOverflowError)) {
            throw fatal;
        }
        if (failure instanceof AvaticaRuntimeException avatica) {
            return avatica;
        }
        if (failure instanceof NoSuchConnectionException noSuchConnection) {
            return noSuchConnection;
        }
        if (failure instanceof NoSuchStatementException noSuchStatement) {
            return new AvaticaRuntimeException("Statement " + noSuchStatement.getStatementHandle().id
                    + " is closed or unknown; create a new statement", ErrorCode.UNKNOWN_STATEMENT.vendorCode(),
                    ErrorCode.UNKNOWN_STATEMENT.sqlState(), AvaticaSeverity.ERROR);
        }
        WeirException weir = failure instanceof WeirException w ? w : SqlErrors.translate(failure);
        if (weir.errorCode() == ErrorCode.INTERNAL_ERROR) {
            long now = System.nanoTime();
            long last = lastStackTrace.get();
            if (now - last > STACK_TRACE_INTERVAL_NANOS && lastStackTrace.compareAndSet(last, now)) {
                LOG.error("Internal error: {}", weir.getMessage(), failure);
            } else {
                // a burst of failing statements must not flood the log: one stack trace a second
                LOG.error("Internal error: {} (stack trace left out: one was logged less than a second ago)", weir.getMessage());
            }
        } else {
            LOG.debug("Statement failed: {}", weir.getMessage());
        }
        return new AvaticaRuntimeException(weir.getMessage(), weir.errorCode().vendorCode(),
                weir.errorCode().sqlState(), AvaticaSeverity.ERROR);
    }
}
