package org.apache.calcite.avatica;

import java.sql.SQLException;
import java.util.Properties;

/**
 * Avatica's JDBC 4.1 objects, except that connections and statements keep warnings (Avatica's never
 * have any): those the driver finds in the connection's properties and those the server returns with
 * a statement's result. In Avatica's package because the JDBC 4.1 factory it extends is package-private.
 */
public final class WeirJdbcFactory extends AvaticaJdbc41Factory {
    public WeirJdbcFactory() {
        super();
    }

    @Override
    public AvaticaConnection newConnection(UnregisteredDriver driver, AvaticaFactory factory, String url, Properties info) {
        return new WeirConnection(driver, factory, url, info);
    }

    @Override
    public AvaticaStatement newStatement(AvaticaConnection connection, Meta.StatementHandle h, int resultSetType,
                                         int resultSetConcurrency, int resultSetHoldability) {
        return new WeirStatement(connection, h, resultSetType, resultSetConcurrency, resultSetHoldability);
    }

    @Override
    public AvaticaPreparedStatement newPreparedStatement(AvaticaConnection connection, Meta.StatementHandle h,
                                                         Meta.Signature signature, int resultSetType,
                                                         int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return new WeirPreparedStatement(connection, h, signature, resultSetType, resultSetConcurrency,
                resultSetHoldability);
    }
}
