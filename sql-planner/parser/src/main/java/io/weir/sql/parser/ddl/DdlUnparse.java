package io.weir.sql.parser.ddl;

import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWriter;

/** Unparsing shared by the DDL statements. */
final class DdlUnparse {
    private DdlUnparse() {
    }

    /** Writes {@code (a, b, ...)}. */
    static void list(SqlWriter writer, SqlNodeList nodes) {
        SqlWriter.Frame frame = writer.startList("(", ")");
        for (SqlNode node : nodes) {
            writer.sep(",");
            node.unparse(writer, 0, 0);
        }
        writer.endList(frame);
    }

    /** Writes {@code WITH ('k' = 'v', ...)}, or nothing when there are no options. */
    static void options(SqlWriter writer, SqlNodeList options) {
        if (!options.isEmpty()) {
            writer.keyword("WITH");
            list(writer, options);
        }
    }
}
