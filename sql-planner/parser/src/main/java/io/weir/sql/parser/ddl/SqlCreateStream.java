package io.weir.sql.parser.ddl;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code CREATE [OR REPLACE] STREAM [IF NOT EXISTS] name (element, ...) [WITH (...)]}: an
 * unbounded source or sink of rows, read and written through a connector named in the options.
 */
public final class SqlCreateStream extends SqlCreateTableLike {
    private static final SqlOperator OPERATOR =
            new DdlOperator("CREATE STREAM", SqlKind.OTHER_DDL,
            (pos, o) -> new SqlCreateStream(pos, o.bool(3), o.bool(4), o.identifier(0),
                    o.list(1), o.list(2)));

    public SqlCreateStream(SqlParserPos pos, boolean replace, boolean ifNotExists,
            SqlIdentifier name, SqlNodeList elements, SqlNodeList options) {
        super(OPERATOR, pos, replace, ifNotExists, name, elements, options);
    }

    @Override
    public ObjectKind objectKind() {
        return ObjectKind.STREAM;
    }
}
