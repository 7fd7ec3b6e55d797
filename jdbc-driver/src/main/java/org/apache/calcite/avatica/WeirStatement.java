package org.apache.calcite.avatica;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLWarning;

/**
 * Avatica's statement, with the warnings the server returned with its last result, and a
 * {@link #cancel()} the server hears of.
 */
public final class WeirStatement extends AvaticaStatement implements WarningChain.Holder {
    private static final Logger LOG = LoggerFactory.getLogger(WeirStatement.class);

    private final WarningChain warnings = new WarningChain();

    WeirStatement(AvaticaConnection connection, Meta.StatementHandle h, int resultSetType, int resultSetConcurrency,
                  int resultSetHoldability) {
        super(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    /**
     * Avatica's cancel, which only sets a flag, told to the server as well: see {@link #cancelOnServer}.
     * Not synchronized, unlike Avatica's: the server must hear of it while {@code execute} runs.
     */
    @Override
    public void cancel() throws SQLException {
        checkOpen();
        cancelOnServer(this);
        super.cancel();
    }

    /**
     * While {@code statement} has no open result set (it is being planned or run: {@code execute} has not
     * returned) closes it on the server, which stops that work; the waiting {@code execute} then throws
     * SQLSTATE 57014. An open result set stops its query itself ({@link WeirResultSet}). The statement
     * stays usable: the server prepares it again at its next execution.
     */
    static void cancelOnServer(AvaticaStatement statement) {
        Meta.StatementHandle running = statement.handle;
        if (statement.openResultSet == null && running != null) {
            try {
                statement.connection.meta.closeStatement(running);
            } catch (RuntimeException e) {
                // the server stops the work anyway at its 'statement.timeout'
                LOG.debug("Could not close statement {} on the server to cancel it", running.id, e);
            }
        }
    }

    @Override
    public WarningChain warnings() {
        return warnings;
    }

    @Override
    public SQLWarning getWarnings() throws SQLException {
        checkOpen();
        return warnings.first();
    }

    @Override
    public void clearWarnings() throws SQLException {
        checkOpen();
        warnings.clear();
    }
}
