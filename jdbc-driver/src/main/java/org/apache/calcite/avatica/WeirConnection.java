package org.apache.calcite.avatica;

import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.Properties;

/** Avatica's connection, with warnings (such as about connection properties the driver does not know). */
public final class WeirConnection extends AvaticaConnection implements WarningChain.Holder {
    private final WarningChain warnings = new WarningChain();

    WeirConnection(UnregisteredDriver driver, AvaticaFactory factory, String url, Properties info) {
        super(driver, factory, url, info);
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
