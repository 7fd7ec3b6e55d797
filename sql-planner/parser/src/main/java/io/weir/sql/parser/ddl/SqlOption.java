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

/**
 * One {@code 'key' = 'value'} entry of a {@code WITH (...)} clause. Its position is the key's, so
 * an error about an option can point at it. Numbers and booleans given as values are kept as text.
 */
public final class SqlOption extends SqlCall {
    private static final SqlOperator OPERATOR = new DdlOperator("OPTION", SqlKind.OTHER,
            (pos, o) -> new SqlOption(o.string(0), o.string(1)));

    private final SqlCharStringLiteral key;
    private final SqlCharStringLiteral value;

    public SqlOption(SqlCharStringLiteral key, SqlCharStringLiteral value) {
        super(requireNonNull(key, "key is null").getParserPosition());
        this.key = key;
        this.value = requireNonNull(value, "value is null");
    }

    public String key() {
        return SqlStrings.value(key);
    }

    public String value() {
        return SqlStrings.value(value);
    }

    public SqlParserPos keyPosition() {
        return key.getParserPosition();
    }

    public SqlParserPos valuePosition() {
        return value.getParserPosition();
    }

    @Override
    public SqlOperator getOperator() {
        return OPERATOR;
    }

    @Override
    public List<SqlNode> getOperandList() {
        return List.of(key, value);
    }

    @Override
    public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
        SqlStrings.unparse(writer, key);
        writer.keyword("=");
        SqlStrings.unparse(writer, value);
    }
}
