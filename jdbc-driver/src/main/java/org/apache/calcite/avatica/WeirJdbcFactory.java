package org.apache.calcite.avatica;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.Properties;
import java.util.TimeZone;

/**
 * Avatica's JDBC 4.1 objects, except that connections and statements keep warnings (Avatica's never
 * have any): those the driver finds in the connection's properties and those the server returns with
 * a statement's result; and that result sets are {@link WeirResultSet}s, whose {@code Statement.cancel()}
 * stops the query on the server.
 *
 * <p>In Avatica's package because the JDBC 4.1 factory it extends is package-private; in the shaded
 * driver jar it is relocated together with Avatica.
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

    @Override
    public AvaticaResultSet newResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
                                         TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
        ResultSetMetaData metaData = newResultSetMetaData(statement, signature);
        return new WeirResultSet(statement, state, signature, metaData, timeZone, firstFrame);
    }
}
