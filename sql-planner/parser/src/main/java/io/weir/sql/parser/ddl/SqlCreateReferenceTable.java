package io.weir.sql.parser.ddl;

import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * {@code CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name (element, ...) [WITH (...)]}: a bounded
 * reference table that streams are joined with.
 */
public final class SqlCreateReferenceTable extends SqlCreateTableLike {
    private static final SqlOperator OPERATOR =
            new DdlOperator("CREATE TABLE", SqlKind.OTHER_DDL,
            (pos, o) -> new SqlCreateReferenceTable(pos, o.bool(3), o.bool(4), o.identifier(0),
                    o.list(1), o.list(2)));

    public SqlCreateReferenceTable(SqlParserPos pos, boolean replace, boolean ifNotExists,
            SqlIdentifier name, SqlNodeList elements, SqlNodeList options) {
        super(OPERATOR, pos, replace, ifNotExists, name, elements, options);
    }

    @Override
    public ObjectKind objectKind() {
        return ObjectKind.TABLE;
    }
}
