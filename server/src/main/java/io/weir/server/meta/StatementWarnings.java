package io.weir.server.meta;

import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.remote.Service;

import java.util.ArrayList;
import java.util.List;

/**
 * Warnings of a statement that succeeded, on their way to the client. The Avatica protocol has no
 * place for them, so they travel in the first frame of an update-count result, which the protocol
 * carries but Avatica's stock client ignores: one row per warning, {@code [message, SQLSTATE, vendor code]}.
 * Weir's JDBC driver turns the rows into the statement's {@link java.sql.SQLWarning}s.
 */
public final class StatementWarnings {
    /** SQLSTATE of every warning: class 01 (warning), no subclass. */
    public static final String SQLSTATE = "01000";

    private StatementWarnings() {
    }

    /** An update count with {@code warnings} (none: Avatica's plain update count). */
    static Meta.MetaResultSet updateCount(String connectionId, int statementId, long count, List<String> warnings) {
        if (warnings.isEmpty()) {
            return Meta.MetaResultSet.count(connectionId, statementId, count);
        }
        List<Object> rows = new ArrayList<>(warnings.size());
        for (String warning : warnings) {
            rows.add(List.of(warning, SQLSTATE, 0));
        }
        return new UpdateCountWithWarnings(connectionId, statementId, count, new Meta.Frame(0, true, rows));
    }

    /** A result whose constructor (protected in Avatica) takes both an update count and a frame. */
    private static final class UpdateCountWithWarnings extends Meta.MetaResultSet {
        UpdateCountWithWarnings(String connectionId, int statementId, long count, Meta.Frame warnings) {
            super(connectionId, statementId, false, null, warnings, count);
        }
    }

    /**
     * The server side of the protocol: Avatica's, except that an update count keeps its frame (Avatica's
     * {@link LocalService} drops it), so the warnings reach the client.
     */
    public static final class Carrying extends LocalService {
        public Carrying(Meta meta) {
            super(meta);
        }

        @Override
        public Service.ResultSetResponse toResponse(Meta.MetaResultSet resultSet) {
            Service.ResultSetResponse response = super.toResponse(resultSet);
            if (resultSet.updateCount == -1 || resultSet.firstFrame == null) {
                return response;
            }
            return new Service.ResultSetResponse(response.connectionId, response.statementId, response.ownStatement,
                    null, resultSet.firstFrame, response.updateCount, response.rpcMetadata);
        }
    }
}
