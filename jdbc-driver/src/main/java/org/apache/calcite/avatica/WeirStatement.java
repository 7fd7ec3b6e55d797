package org.apache.calcite.avatica;

import java.sql.SQLException;
import java.sql.SQLWarning;

/** Avatica's statement, with the warnings the server returned with its last result. */
public final class WeirStatement extends AvaticaStatement implements WarningChain.Holder {
    private final WarningChain warnings = new WarningChain();

    WeirStatement(AvaticaConnection connection, Meta.StatementHandle h, int resultSetType, int resultSetConcurrency,
                  int resultSetHoldability) {
        super(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
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
