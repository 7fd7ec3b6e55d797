package org.apache.calcite.avatica.remote;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.QueryState;

import java.sql.SQLException;
import java.util.List;

/**
 * The Avatica remote client's {@code Meta}, except that result-set rows are fetched from the server
 * only when the caller asks for a row that has not arrived yet (see {@link OnDemandFetchIterator}).
 *
 * <p>Avatica's own iterator fetches the next frame before it returns the current row, so on a
 * continuous query each row would reach {@code ResultSet.next()} only once the row after it exists.
 *
 * <p>This class lives in Avatica's package because {@code RemoteMeta} is package-private; in the
 * shaded driver jar it is relocated together with Avatica.
 */
public final class OnDemandFetchRemoteMeta extends RemoteMeta {
    public OnDemandFetchRemoteMeta(AvaticaConnection connection, Service service) {
        super(connection, service);
    }

    @Override
    public Iterable<Object> createIterable(StatementHandle handle, QueryState state, Signature signature,
            List<TypedValue> parameterValues, Frame firstFrame) {
        if (firstFrame != null && firstFrame.done) {
            return firstFrame.rows;
        }
        AvaticaStatement statement = connection.statementMap.get(handle.id);
        if (statement == null) {
            // Reached from AvaticaResultSet.execute(), which declares SQLException.
            throw OnDemandFetchIterator.uncheckedThrow(new SQLException(
                    "Statement " + handle.id + " is not open on this connection", "24000"));
        }
        return () -> new OnDemandFetchIterator(this, statement, firstFrame);
    }
}
