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
            LOG.error("Internal error: {}", weir.getMessage(), failure);
        } else {
            LOG.debug("Statement failed: {}", weir.getMessage());
        }
        return new AvaticaRuntimeException(weir.getMessage(), weir.errorCode().vendorCode(),
                weir.errorCode().sqlState(), AvaticaSeverity.ERROR);
    }
}
