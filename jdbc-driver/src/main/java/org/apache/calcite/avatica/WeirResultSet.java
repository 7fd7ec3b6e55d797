package org.apache.calcite.avatica;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A result set whose {@code Statement.cancel()} stops the query on the server at once.
 *
 * <p>The Avatica protocol has no cancel request, and Avatica's own cancel only sets a flag that
 * {@code next()} looks at before it waits for the next row: a continuous query ran on and a blocked
 * {@code next()} returned whenever the next row came. Here cancel also closes the statement on the
 * server, which stops its query and ends the fetch that {@code next()} waits for; {@code next()} then
 * throws an {@link SQLException} with SQLSTATE {@value #SQLSTATE_QUERY_CANCELED}. The statement stays
 * usable: executing it again starts afresh (the server re-creates a statement it no longer knows).
 */
final class WeirResultSet extends AvaticaResultSet {
    static final String SQLSTATE_QUERY_CANCELED = "57014";
    /** The vendor code of the server's QUERY_CANCELLED errors. */
    private static final int VENDOR_CODE_QUERY_CANCELED = 1021;
    private static final Logger LOG = LoggerFactory.getLogger(WeirResultSet.class);

    private final AtomicBoolean stoppedOnServer = new AtomicBoolean();

    WeirResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature, ResultSetMetaData metaData,
                  TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
        super(statement, state, signature, metaData, timeZone, firstFrame);
    }

    /** Called by {@code Statement.cancel()}, from any thread. */
    @Override
    protected void cancel() {
        super.cancel(); // the statement's flag: next() reports the cancel, however its fetch ends
        stopOnServer();
    }

    /** Closes the statement on the server, once: its query stops and a waiting fetch returns at once. */
    private void stopOnServer() {
        Meta.StatementHandle handle = statement.handle;
        if (handle == null || !stoppedOnServer.compareAndSet(false, true)) {
            return;
        }
        try {
            statement.connection.meta.closeStatement(handle);
        } catch (RuntimeException e) {
            // The server stops the query anyway once its client stops fetching (query.client-timeout).
            LOG.debug("Could not close statement {} on the server after a cancel", handle.id, e);
        }
    }

    @Override
    public boolean next() throws SQLException {
        if (cancelled()) {
            stopOnServer(); // cancelled before this result existed (while executing)
            throw canceled(null);
        }
        boolean more;
        try {
            more = super.next();
        } catch (SQLException e) {
            if (cancelled()) {
                throw canceled(e); // the server no longer knows the statement: that is the cancel
            }
            throw e;
        }
        if (cancelled()) {
            throw canceled(null); // the fetch ended because of the cancel; a row that came with it is dropped
        }
        return more;
    }

    private boolean cancelled() {
        return statement != null && statement.cancelFlag.get();
    }

    private SQLException canceled(Throwable cause) {
        return new SQLException("Statement canceled: the query was stopped on the server (Statement.cancel())",
                SQLSTATE_QUERY_CANCELED, VENDOR_CODE_QUERY_CANCELED, cause);
    }
}
