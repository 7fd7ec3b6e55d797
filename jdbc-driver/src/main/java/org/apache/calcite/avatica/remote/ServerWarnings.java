package org.apache.calcite.avatica.remote;

import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.WarningChain;

import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;

/**
 * The warnings a Weir server returns with a statement that succeeded. The Avatica protocol has no
 * place for them, so the server sends them in the first frame of an update-count result (which
 * Avatica's stock client ignores): one row per warning, {@code [message, SQLSTATE, vendor code]}.
 */
final class ServerWarnings {
    private static final String DEFAULT_SQLSTATE = "01000";

    private ServerWarnings() {
    }

    /** The warnings in an update count's frame; none for a frame of another shape. */
    static List<SQLWarning> of(Meta.Frame frame) {
        if (frame == null) {
            return List.of();
        }
        List<SQLWarning> warnings = new ArrayList<>();
        for (Object row : frame.rows) {
            List<?> values = row instanceof List<?> list ? list : row instanceof Object[] array ? List.of(array) : List.of();
            if (values.isEmpty() || !(values.get(0) instanceof String message)) {
                continue;
            }
            String sqlState = values.size() > 1 && values.get(1) instanceof String state ? state : DEFAULT_SQLSTATE;
            int vendorCode = values.size() > 2 && values.get(2) instanceof Number code ? code.intValue() : 0;
            warnings.add(new SQLWarning(message, sqlState, vendorCode));
        }
        return warnings;
    }

    /** Gives the statement of {@code handle} {@code warnings} in place of those of its previous run. */
    static void replace(AvaticaConnection connection, Meta.StatementHandle handle, List<SQLWarning> warnings) {
        AvaticaStatement statement = handle == null ? null : connection.statementMap.get(handle.id);
        if (statement instanceof WarningChain.Holder holder) {
            holder.warnings().replace(warnings);
        }
    }
}
