package org.apache.calcite.avatica;

import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.TimeZone;

/**
 * Avatica's JDBC 4.1 objects, except that result sets are {@link WeirResultSet}s, whose
 * {@code Statement.cancel()} stops the query on the server.
 *
 * <p>In Avatica's package because its JDBC 4.1 factory is package-private; in the shaded driver jar
 * it is relocated together with Avatica.
 */
public final class WeirJdbcFactory extends AvaticaJdbc41Factory {
    public WeirJdbcFactory() {
        super();
    }

    @Override
    public AvaticaResultSet newResultSet(AvaticaStatement statement, QueryState state, Meta.Signature signature,
                                         TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
        ResultSetMetaData metaData = newResultSetMetaData(statement, signature);
        return new WeirResultSet(statement, state, signature, metaData, timeZone, firstFrame);
    }
}
