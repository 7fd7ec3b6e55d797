package io.weir.sql.parser.ddl;

import java.util.List;

import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCharStringLiteral;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

import static java.util.Objects.requireNonNull;

/** {@code DESCRIBE CONNECTOR 'name'}: the options a connector accepts. */
public final class SqlDescribeConnector extends SqlCall {
    private static final SqlOperator OPERATOR =
            new DdlOperator("DESCRIBE CONNECTOR", SqlKind.OTHER,
            (pos, o) -> new SqlDescribeConnector(pos, o.string(0)));

    private final SqlCharStringLiteral connector;

    public SqlDescribeConnector(SqlParserPos pos, SqlCharStringLiteral connector) {
        super(pos);
        this.connector = requireNonNull(connector, "connector is null");
    }

    /** The connector name as written between the quotes. */
    public String connector() {
        return SqlStrings.value(connector);
    }

    public SqlParserPos connectorPosition() {
        return connector.getParserPosition();
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(connector);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        writer.keyword("DESCRIBE CONNECTOR");
        SqlStrings.unparse(writer, connector);
    }
}
